package io.turnpike.protocol;

import io.turnpike.core.Address;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * One authenticated WebSocket connection to another node: everything sent and received on it is bound to
 * this node's address and {@link #remote()}.
 */
public interface PeerConnection {

    /** The peer's proven address; throws {@link IllegalStateException} before the handshake completes. */
    Address remote();

    /** Where the peer connects from, for logs; it proves nothing. */
    InetSocketAddress remoteSocket();

    /**
     * Sends one message. Sending gives no guarantee of delivery, and a message sent on a closed connection is
     * dropped: the protocol is built so that what matters is superseded or resent (proofs are cumulative, and
     * {@code channel} resyncs on reconnect).
     *
     * @throws IllegalStateException before the handshake completes
     * @throws IllegalArgumentException for {@code hello} and {@code auth}, which only the handshake sends
     */
    void send(PeerMessage message);

    boolean isOpen();

    /** Closes the connection; {@link #closed()} completes once it is. */
    void close();

    /** Completes when the connection has closed, from either side. */
    CompletableFuture<Void> closed();
}
