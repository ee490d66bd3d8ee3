package io.turnpike.relay;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a {@link RelayServer} listens and what it allows.
 *
 * @param bind                    where to listen; port 0 picks a free port ({@link RelayServer#port()})
 * @param maxConnectionsPerClient connections one client may hold at once; more are refused
 * @param allowPrivateTargets     whether clients may reach loopback, link-local and private addresses; off
 *                                by default, because those reach the provider's own machine and network
 * @param handshakeTimeout        how long a client may take to authenticate and send its request
 * @param connectTimeout          how long to try reaching a target before answering "host unreachable"
 * @param throttledTotalRate      what all throttled clients together may relay per second, however many they are
 *                                (fresh keys cost nothing to make): {@link RelayServer#UNLIMITED} for no cap
 * @param ticker                  the nanosecond clock throttling counts time by: {@code System::nanoTime}, or a
 *                                test's own, so a rate is checked in bytes per controlled window
 */
public record RelayConfig(InetSocketAddress bind, int maxConnectionsPerClient, boolean allowPrivateTargets,
                          Duration handshakeTimeout, Duration connectTimeout, long throttledTotalRate,
                          LongSupplier ticker) {

    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

    public RelayConfig {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(ticker, "ticker");
        if (throttledTotalRate < 1) {
            throw new IllegalArgumentException("throttledTotalRate is at least 1 byte per second, or UNLIMITED");
        }
        if (maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("maxConnectionsPerClient must be at least 1");
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || connectTimeout.isNegative()
                || connectTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /**
     * The defaults: 64 connections per client, public targets only, 10 s to handshake and to connect, throttled
     * clients together not capped.
     */
    public static RelayConfig listeningOn(InetSocketAddress bind) {
        return new RelayConfig(bind, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, false, Duration.ofSeconds(10),
                Duration.ofSeconds(10), RelayServer.UNLIMITED, System::nanoTime);
    }

    public RelayConfig withThrottledTotalRate(long bytesPerSecond) {
        return new RelayConfig(bind, maxConnectionsPerClient, allowPrivateTargets, handshakeTimeout, connectTimeout,
                bytesPerSecond, ticker);
    }

    public RelayConfig withMaxConnectionsPerClient(int max) {
        return new RelayConfig(bind, max, allowPrivateTargets, handshakeTimeout, connectTimeout, throttledTotalRate,
                ticker);
    }

    public RelayConfig withPrivateTargets(boolean allowed) {
        return new RelayConfig(bind, maxConnectionsPerClient, allowed, handshakeTimeout, connectTimeout,
                throttledTotalRate, ticker);
    }

    public RelayConfig withHandshakeTimeout(Duration timeout) {
        return new RelayConfig(bind, maxConnectionsPerClient, allowPrivateTargets, timeout, connectTimeout,
                throttledTotalRate, ticker);
    }

    public RelayConfig withTicker(LongSupplier nanoClock) {
        return new RelayConfig(bind, maxConnectionsPerClient, allowPrivateTargets, handshakeTimeout, connectTimeout,
                throttledTotalRate, nanoClock);
    }
}
