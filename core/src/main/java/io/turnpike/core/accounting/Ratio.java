package io.turnpike.core.accounting;

import io.turnpike.core.Amount;
import java.math.BigInteger;

/** An exact fraction for the policy settings (½ of the threshold, 5 %), so no amount meets floating point. */
public record Ratio(long numerator, long denominator) {

    public Ratio {
        if (numerator < 0 || denominator <= 0) {
            throw new IllegalArgumentException("a ratio is a non-negative fraction, got " + numerator + "/" + denominator);
        }
    }

    /** This fraction of {@code amount}, rounded down. */
    public Amount of(Amount amount) {
        return Amount.of(amount.value().multiply(BigInteger.valueOf(numerator)).divide(BigInteger.valueOf(denominator)));
    }

    /** Whether {@code part} is within this fraction of {@code whole} (part / whole ≤ ratio), exactly. */
    public boolean covers(Amount part, Amount whole) {
        return part.value().multiply(BigInteger.valueOf(denominator))
                .compareTo(whole.value().multiply(BigInteger.valueOf(numerator))) <= 0;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
