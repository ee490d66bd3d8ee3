package io.turnpike.chain.rpc;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a failing endpoint is left alone: {@code initial} after the first failure, doubling with each
 * further failure in a row, never more than {@code max}. A pure function of the failure count, so the
 * decision is tested without waiting.
 */
public record BackOff(Duration initial, Duration max) {

    /** Doubling stops here; 2^30 × any sane initial delay is far past any sane maximum. */
    private static final int MAX_DOUBLINGS = 30;

    public BackOff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("a back-off needs 0 < initial <= max, got " + initial + " and " + max);
        }
    }

    public static BackOff defaults() {
        return new BackOff(Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    /** The pause after {@code consecutiveFailures} (at least 1) failures in a row. */
    public Duration delayAfter(int consecutiveFailures) {
        if (consecutiveFailures < 1) {
            throw new IllegalArgumentException("a back-off follows at least one failure, got " + consecutiveFailures);
        }
        Duration delay = initial.multipliedBy(1L << Math.min(consecutiveFailures - 1, MAX_DOUBLINGS));
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
