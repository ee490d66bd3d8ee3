package io.turnpike.relay;

import io.turnpike.core.Address;

/**
 * The node's record of relay sessions: which session token it issued to which client over their
 * authenticated peer connection. The relay asks it for every SOCKS connection.
 */
@FunctionalInterface
public interface ClientSessions {

    /**
     * Whether {@code sessionToken} is a live token issued to {@code client}. A token issued to another
     * client must not be valid for this one. Called concurrently from many connections; compare tokens
     * in constant time ({@link java.security.MessageDigest#isEqual}).
     */
    boolean isValid(Address client, String sessionToken);
}
