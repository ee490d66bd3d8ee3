package io.turnpike.rpc;

import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A front's price per cost unit now, under its {@link PriceRule}: the units served are counted per interval of the
 * injected clock and weighed against the total capacity over that time. The price moves only when it is read, by
 * one step for each whole interval gone by (so a front idle for a while has decayed by as many steps when it is next
 * asked), under this object's lock.
 */
final class UnitPrice {

    private final PriceRule rule;
    private final long totalCapacity;
    private final LongSupplier ticker;
    private final long intervalNanos;
    private Amount price;
    private long windowStart;
    private long served;

    UnitPrice(PriceRule rule, long totalCapacity, LongSupplier ticker) {
        this.rule = rule;
        this.totalCapacity = totalCapacity;
        this.ticker = ticker;
        this.intervalNanos = rule.interval().toNanos();
        this.price = rule.start();
        this.windowStart = ticker.getAsLong();
    }

    /** The price now, and, if it just moved, the new one to announce. */
    record Reading(Amount price, Optional<Amount> moved) {
    }

    synchronized Reading read() {
        Amount before = price;
        roll(ticker.getAsLong());
        return new Reading(price, price.equals(before) ? Optional.empty() : Optional.of(price));
    }

    /** {@code units} were served (a request's real cost). */
    synchronized void served(long units) {
        long sum = served + units;
        served = sum < 0 ? Long.MAX_VALUE : sum;
    }

    private void roll(long now) {
        long intervals = (now - windowStart) / intervalNanos;
        if (intervals < 1) {
            return;
        }
        if (rule.moves()) {
            // served ÷ (total × elapsed seconds) against target ÷ 100, in integers:
            // served × 100 × 10⁹ against target × total × elapsed nanoseconds.
            BigInteger load = BigInteger.valueOf(served).multiply(BigInteger.valueOf(100_000_000_000L));
            BigInteger target = BigInteger.valueOf(rule.targetPercent()).multiply(BigInteger.valueOf(totalCapacity))
                    .multiply(BigInteger.valueOf(intervals)).multiply(BigInteger.valueOf(intervalNanos));
            Amount change = Amount.of(rule.step().value().multiply(BigInteger.valueOf(intervals)));
            int side = load.compareTo(target);
            if (side > 0) {
                price = price.plus(change).min(rule.max());
            } else if (side < 0) {
                price = price.saturatingMinus(change).max(rule.min());
            }
        }
        windowStart += intervals * intervalNanos;
        served = 0;
    }
}
