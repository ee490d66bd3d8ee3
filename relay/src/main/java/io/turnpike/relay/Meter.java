package io.turnpike.relay;

import io.turnpike.core.Address;

/**
 * Where relayed bytes are reported, to be priced and paid for. Only payload is counted: the SOCKS
 * handshake is not, so the relay and the entry count the same bytes.
 */
@FunctionalInterface
public interface Meter {

    /**
     * {@code bytesUp} (client to target) and {@code bytesDown} (target to client) just relayed for
     * {@code peer}: at a relay the client, at an entry the provider. Called once per chunk of up to 64 KiB,
     * concurrently from every connection, so it must be thread-safe and quick.
     */
    void relayed(Address peer, long bytesUp, long bytesDown);
}
