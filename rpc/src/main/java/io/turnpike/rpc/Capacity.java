package io.turnpike.rpc;

import io.turnpike.core.accounting.TokenBucket;
import java.time.Duration;

/**
 * How much a front serves, in cost units per second. Each client has a buffer of cost units that refills at its
 * capacity and holds {@code buffer} seconds' worth of it (LES's buffer limit and recharge rate): a paid client's
 * capacity is {@code paid}; a free client's is {@code free} at most, and free clients together only get what paid
 * clients leave of {@code total}.
 */
public record Capacity(long total, long paid, long free, Duration buffer) {

    public Capacity {
        if (total < 1 || paid < 1 || free < 0) {
            throw new IllegalArgumentException("capacities are units per second: total and paid at least 1, free 0 or "
                    + "more; got " + total + ", " + paid + ", " + free);
        }
        if (paid > total || free > total) {
            throw new IllegalArgumentException("a client's capacity (paid " + paid + ", free " + free
                    + ") cannot exceed the total " + total);
        }
        if (buffer.toMillis() < 1) {
            throw new IllegalArgumentException("the buffer holds a positive time's worth of capacity, got " + buffer);
        }
        if (total > TokenBucket.MAX_CAPACITY / Math.max(1, buffer.toSeconds())) {
            throw new IllegalArgumentException("a buffer of " + buffer + " at " + total + " units/s is more than "
                    + TokenBucket.MAX_CAPACITY + " units; lower the total or the buffer");
        }
    }

    /** 10 000 units/s in all, 1000 for each paid client, 100 at most for a free one, buffers of 10 s. */
    public static Capacity defaults() {
        return new Capacity(10_000, 1_000, 100, Duration.ofSeconds(10));
    }

    /** The buffer limit of a client with {@code capacity} units per second: at least one unit. */
    long bufferFor(long capacity) {
        return Math.max(1, Math.multiplyExact(capacity, buffer.toMillis()) / 1000);
    }
}
