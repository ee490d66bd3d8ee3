package io.turnpike.rpc;

import java.time.Duration;

/**
 * What a WebSocket client may hold of a front: past {@code maxSubscriptions} an {@code eth_subscribe} is refused
 * ({@code too_many_subscriptions}); a text frame past {@code maxFrameBytes} closes the connection (1009, message too
 * big); a connection with no frame either way for {@code idleTimeout} is closed, its subscriptions with it.
 *
 * @param maxSubscriptions the subscriptions one client holds at once, over all its connections
 */
public record SocketLimits(int maxSubscriptions, int maxFrameBytes, Duration idleTimeout) {

    private static final SocketLimits DEFAULTS = new SocketLimits(16, 1024 * 1024, Duration.ofMinutes(5));

    public SocketLimits {
        if (maxSubscriptions < 0 || maxFrameBytes < 1) {
            throw new IllegalArgumentException("subscriptions are 0 or more and frames 1 byte or more, got "
                    + maxSubscriptions + " and " + maxFrameBytes);
        }
        if (!idleTimeout.isPositive()) {
            throw new IllegalArgumentException("the idle timeout must be positive, got " + idleTimeout);
        }
    }

    /** 16 subscriptions, frames of 1 MiB, 5 minutes idle. */
    public static SocketLimits defaults() {
        return DEFAULTS;
    }
}
