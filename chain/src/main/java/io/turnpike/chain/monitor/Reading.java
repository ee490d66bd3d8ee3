package io.turnpike.chain.monitor;

import java.time.Instant;
import java.util.Optional;

/**
 * A value read from the chain. When the chain cannot be read, the last value read is kept with
 * {@code current} false, so the node can show it and knows not to act on it as if it were fresh.
 *
 * @param value the newest value read; empty if it was never read
 * @param observedAt when {@code value} was read
 * @param current whether it was read in the latest check
 */
public record Reading<T>(Optional<T> value, Optional<Instant> observedAt, boolean current) {

    static <T> Reading<T> of(T value, Instant at) {
        return new Reading<>(Optional.of(value), Optional.of(at), true);
    }

    static <T> Reading<T> unknown() {
        return new Reading<>(Optional.empty(), Optional.empty(), false);
    }

    Reading<T> outdated() {
        return new Reading<>(value, observedAt, false);
    }
}
