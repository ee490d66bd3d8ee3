package io.turnpike.rpc;

import io.turnpike.core.Amount;
import java.time.Duration;
import java.util.Objects;

/**
 * How a front's unit price follows its load (LES vflux's price adjustment): every {@code interval}, if the units it
 * served came to more than {@code targetPercent} of its total capacity, the price rises by {@code step}; if less, it
 * decays by {@code step}; never outside {@code min}…{@code max}. A request pays the price at which it was admitted.
 *
 * @param start the price when the front starts, in the asset's smallest unit per cost unit
 */
public record PriceRule(Amount start, Amount min, Amount max, Amount step, int targetPercent, Duration interval) {

    public PriceRule {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(step, "step");
        if (min.isGreaterThan(start) || start.isGreaterThan(max)) {
            throw new IllegalArgumentException("the price starts within its bounds: min " + min + " ≤ " + start
                    + " ≤ max " + max);
        }
        if (targetPercent < 1 || targetPercent > 100) {
            throw new IllegalArgumentException("the target utilisation is a percentage within 1..100, got "
                    + targetPercent);
        }
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("the price moves at most once a positive interval, got " + interval);
        }
    }

    /** A price that never moves: {@code price} at every load. */
    public static PriceRule fixed(Amount price) {
        return new PriceRule(price, price, price, Amount.ZERO, 70, Duration.ofSeconds(10));
    }

    /** Whether the price can move at all. */
    boolean moves() {
        return !step.isZero() && max.isGreaterThan(min);
    }
}
