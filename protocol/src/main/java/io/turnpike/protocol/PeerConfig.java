package io.turnpike.protocol;

import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * What a node brings to every peer connection.
 *
 * @param key the node's identity: it signs the handshake
 * @param domain the chain and contract the node pays through; a peer on another is refused
 * @param random the source of handshake challenges
 * @param handshakeTimeout how long a new connection may take to authenticate before it is closed
 * @param pingInterval how often a connection is pinged; a peer that answers no ping for 1.5 intervals is
 *     taken for dead and closed. Whole seconds, at least one.
 */
public record PeerConfig(PrivateKey key, Eip712Domain domain, SecureRandom random, Duration handshakeTimeout,
                         Duration pingInterval) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);

    public PeerConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(random, "random");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, got " + handshakeTimeout);
        }
        if (pingInterval.toMillis() < 1000 || pingInterval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("pingInterval is whole seconds, at least one; got " + pingInterval);
        }
    }

    public static PeerConfig of(PrivateKey key, Eip712Domain domain) {
        return new PeerConfig(key, domain, new SecureRandom(), DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_PING_INTERVAL);
    }

    public PeerConfig withHandshakeTimeout(Duration timeout) {
        return new PeerConfig(key, domain, random, timeout, pingInterval);
    }

    public PeerConfig withPingInterval(Duration interval) {
        return new PeerConfig(key, domain, random, handshakeTimeout, interval);
    }
}
