package io.turnpike.rpc;

import io.turnpike.core.Address;

/**
 * The node's record of rpc sessions: which token it issued to which client over their authenticated peer connection
 * ({@code session.request {service: "rpc"}}). The front asks it for every request.
 */
@FunctionalInterface
public interface RpcSessions {

    /**
     * Whether {@code token} is a live rpc session token issued to {@code client}; a token issued to another client is
     * not valid for this one. Called concurrently; compare in constant time.
     */
    boolean isValid(Address client, String token);
}
