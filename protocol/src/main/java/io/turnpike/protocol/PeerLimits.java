package io.turnpike.protocol;

import java.time.Duration;

/**
 * What one peer, or all of them together, may make the peer port hold. Every bound closes or refuses the
 * connection that passes it; none of them drops a message from a connection that stays. With the defaults a
 * connection retains at most about {@code 2 × maxMessageBytes + maxQueuedBytes} (a frame being read, the
 * message it belongs to, and replies the peer has not read), and {@code 2 × maxHandshakeMessageBytes} before it
 * has proved who it is.
 *
 * @param maxMessageBytes once authenticated, the largest message a peer may send, counting every fragment
 *     (and the largest single frame); a larger one closes the connection (1009). Messages between
 *     {@link PeerCodec#MAX_MESSAGE_BYTES} and this are read and refused with {@code message_too_large}
 * @param maxHandshakeMessageBytes the same before the handshake completes, where only {@code hello},
 *     {@code auth} and {@code error} are expected
 * @param maxQueuedBytes characters sent to a peer but not yet written to its socket (bytes, for this
 *     protocol's ASCII JSON); a peer that lets more pile up is not reading and is disconnected
 * @param maxQueuedMessages the same counted in messages
 * @param maxRequestHeaderBytes the HTTP upgrade request's line and headers; a larger request is answered
 *     {@code 431} (or {@code 414}) and closed
 * @param upgradeTimeout from accepting a TCP connection to its WebSocket upgrade; a connection still speaking
 *     HTTP then is closed, however slowly it keeps sending. The handshake that follows has
 *     {@link PeerConfig#handshakeTimeout()} of its own
 * @param maxConnections connections the peer port holds at once, from accept to close; more are closed as
 *     soon as they are accepted
 * @param maxConnectionsPerAddress the same from one source IP address
 */
public record PeerLimits(int maxMessageBytes, int maxHandshakeMessageBytes, int maxQueuedBytes,
                         int maxQueuedMessages, int maxRequestHeaderBytes, Duration upgradeTimeout,
                         int maxConnections, int maxConnectionsPerAddress) {

    private static final PeerLimits DEFAULTS = new PeerLimits(2 * PeerCodec.MAX_MESSAGE_BYTES, 8 * 1024,
            64 * 1024, 256, 8 * 1024, Duration.ofSeconds(5), 1024, 32);

    public PeerLimits {
        positive("maxMessageBytes", maxMessageBytes);
        positive("maxHandshakeMessageBytes", maxHandshakeMessageBytes);
        positive("maxQueuedBytes", maxQueuedBytes);
        positive("maxQueuedMessages", maxQueuedMessages);
        positive("maxRequestHeaderBytes", maxRequestHeaderBytes);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        if (upgradeTimeout.isNegative() || upgradeTimeout.isZero()) {
            throw new IllegalArgumentException("upgradeTimeout must be positive, got " + upgradeTimeout);
        }
        if (maxHandshakeMessageBytes > maxMessageBytes) {
            throw new IllegalArgumentException("maxHandshakeMessageBytes (" + maxHandshakeMessageBytes
                    + ") must not exceed maxMessageBytes (" + maxMessageBytes + ")");
        }
    }

    /**
     * 128 KiB messages (8 KiB before the handshake), 64 KiB or 256 messages queued, 8 KiB of upgrade request, 5 s
     * to upgrade, 1,024 connections, 32 from one address: at worst about 320 MiB if every connection is an
     * authenticated peer holding all it may, and a few KiB for an idle one.
     */
    public static PeerLimits defaults() {
        return DEFAULTS;
    }

    public PeerLimits withMaxMessageBytes(int bytes) {
        return new PeerLimits(bytes, maxHandshakeMessageBytes, maxQueuedBytes, maxQueuedMessages,
                maxRequestHeaderBytes, upgradeTimeout, maxConnections, maxConnectionsPerAddress);
    }

    public PeerLimits withMaxHandshakeMessageBytes(int bytes) {
        return new PeerLimits(maxMessageBytes, bytes, maxQueuedBytes, maxQueuedMessages, maxRequestHeaderBytes,
                upgradeTimeout, maxConnections, maxConnectionsPerAddress);
    }

    public PeerLimits withMaxQueuedBytes(int bytes) {
        return new PeerLimits(maxMessageBytes, maxHandshakeMessageBytes, bytes, maxQueuedMessages,
                maxRequestHeaderBytes, upgradeTimeout, maxConnections, maxConnectionsPerAddress);
    }

    public PeerLimits withMaxQueuedMessages(int messages) {
        return new PeerLimits(maxMessageBytes, maxHandshakeMessageBytes, maxQueuedBytes, messages,
                maxRequestHeaderBytes, upgradeTimeout, maxConnections, maxConnectionsPerAddress);
    }

    public PeerLimits withMaxRequestHeaderBytes(int bytes) {
        return new PeerLimits(maxMessageBytes, maxHandshakeMessageBytes, maxQueuedBytes, maxQueuedMessages, bytes,
                upgradeTimeout, maxConnections, maxConnectionsPerAddress);
    }

    public PeerLimits withUpgradeTimeout(Duration timeout) {
        return new PeerLimits(maxMessageBytes, maxHandshakeMessageBytes, maxQueuedBytes, maxQueuedMessages,
                maxRequestHeaderBytes, timeout, maxConnections, maxConnectionsPerAddress);
    }

    public PeerLimits withMaxConnections(int connections) {
        return new PeerLimits(maxMessageBytes, maxHandshakeMessageBytes, maxQueuedBytes, maxQueuedMessages,
                maxRequestHeaderBytes, upgradeTimeout, connections, maxConnectionsPerAddress);
    }

    public PeerLimits withMaxConnectionsPerAddress(int connections) {
        return new PeerLimits(maxMessageBytes, maxHandshakeMessageBytes, maxQueuedBytes, maxQueuedMessages,
                maxRequestHeaderBytes, upgradeTimeout, maxConnections, connections);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
