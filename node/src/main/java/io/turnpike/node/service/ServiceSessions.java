package io.turnpike.node.service;

import io.turnpike.core.Address;

/**
 * The session tokens the node issued over authenticated peer connections, one per client and service
 * ({@code session.request {service}}): what a service's surface checks a client's login against.
 */
@FunctionalInterface
public interface ServiceSessions {

    /**
     * Whether {@code token} is the live token issued to {@code client} for {@code service}; a token issued to another
     * client, or for another service, is not. Called concurrently from the services' threads; compares in constant
     * time.
     */
    boolean isValid(Address client, String service, String token);
}
