package io.turnpike.protocol;

import io.turnpike.http.FatalErrors;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a node brings to every peer connection.
 *
 * @param key the node's identity: it signs the handshake
 * @param domain the chain and contract the node pays through; a peer on another is refused
 * @param random the source of handshake challenges
 * @param handshakeTimeout how long a new connection may take, once upgraded to WebSocket, to authenticate
 *     before it is closed
 * @param pingInterval how often a connection is pinged; a peer that answers no ping for 1.5 intervals is
 *     taken for dead and closed. Whole seconds, at least one.
 * @param limits what one peer, or all of them, may make the transport hold
 * @param onFatalError called once, after the error is logged, when the transport hits an error the JVM may
 *     not survive (an {@link OutOfMemoryError}, a selector that dies); by default the process exits with
 *     status 70 (EX_SOFTWARE) so that a supervisor restarts it
 *     rather than a node living on without its peer port
 */
public record PeerConfig(PrivateKey key, Eip712Domain domain, SecureRandom random, Duration handshakeTimeout,
                         Duration pingInterval, PeerLimits limits, Consumer<Throwable> onFatalError) {

    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);

    public PeerConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(onFatalError, "onFatalError");
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive, got " + handshakeTimeout);
        }
        if (pingInterval.toMillis() < 1000 || pingInterval.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("pingInterval is whole seconds, at least one; got " + pingInterval);
        }
    }

    /** Default limits, and a fatal error exits the process. */
    public PeerConfig(PrivateKey key, Eip712Domain domain, SecureRandom random, Duration handshakeTimeout,
                      Duration pingInterval) {
        this(key, domain, random, handshakeTimeout, pingInterval, PeerLimits.defaults(), FatalErrors::exitProcess);
    }

    public static PeerConfig of(PrivateKey key, Eip712Domain domain) {
        return new PeerConfig(key, domain, new SecureRandom(), DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_PING_INTERVAL);
    }

    public PeerConfig withHandshakeTimeout(Duration timeout) {
        return new PeerConfig(key, domain, random, timeout, pingInterval, limits, onFatalError);
    }

    public PeerConfig withPingInterval(Duration interval) {
        return new PeerConfig(key, domain, random, handshakeTimeout, interval, limits, onFatalError);
    }

    public PeerConfig withLimits(PeerLimits newLimits) {
        return new PeerConfig(key, domain, random, handshakeTimeout, pingInterval, newLimits, onFatalError);
    }

    public PeerConfig withOnFatalError(Consumer<Throwable> handler) {
        return new PeerConfig(key, domain, random, handshakeTimeout, pingInterval, limits, handler);
    }
}
