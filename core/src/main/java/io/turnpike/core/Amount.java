package io.turnpike.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An exact, non-negative amount in an asset's smallest unit (wei, or a token's base unit), bounded by
 * uint256 so that every amount Turnpike handles can be written to the chain.
 */
public record Amount(BigInteger value) implements Comparable<Amount> {

    public static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    public static final Amount ZERO = new Amount(BigInteger.ZERO);

    public Amount {
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0) {
            throw new ArithmeticException("an amount cannot be negative: " + value);
        }
        if (value.compareTo(MAX_UINT256) > 0) {
            throw new ArithmeticException("an amount cannot exceed 2^256-1: " + value);
        }
    }

    public static Amount of(long value) {
        return new Amount(BigInteger.valueOf(value));
    }

    public static Amount of(BigInteger value) {
        return new Amount(value);
    }

    /**
     * Parses a decimal figure in whole units ("0.0042" ETH with 18 decimals) exactly; more fractional
     * digits than the asset has are an error, never rounded.
     */
    public static Amount parse(String decimal, int decimals) {
        BigDecimal units;
        try {
            units = new BigDecimal(decimal.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + decimal + "'");
        }
        BigDecimal scaled = units.movePointRight(decimals);
        try {
            return new Amount(scaled.toBigIntegerExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(
                    "'" + decimal + "' has more than " + decimals + " decimal places");
        }
    }

    public Amount plus(Amount other) {
        return new Amount(value.add(other.value));
    }

    /** The difference; throws if it would be negative, because a negative amount is always a bug. */
    public Amount minus(Amount other) {
        return new Amount(value.subtract(other.value));
    }

    /** The difference, or zero when {@code other} is larger. */
    public Amount saturatingMinus(Amount other) {
        return value.compareTo(other.value) <= 0 ? ZERO : new Amount(value.subtract(other.value));
    }

    public Amount times(long factor) {
        return new Amount(value.multiply(BigInteger.valueOf(factor)));
    }

    public Amount min(Amount other) {
        return compareTo(other) <= 0 ? this : other;
    }

    public Amount max(Amount other) {
        return compareTo(other) >= 0 ? this : other;
    }

    public boolean isZero() {
        return value.signum() == 0;
    }

    public boolean isGreaterThan(Amount other) {
        return compareTo(other) > 0;
    }

    public boolean isLessThan(Amount other) {
        return compareTo(other) < 0;
    }

    /** The exact decimal figure in whole units, without trailing zeros ("0.0042"). */
    public String toDecimalString(int decimals) {
        BigDecimal units = new BigDecimal(value, decimals).stripTrailingZeros();
        return units.signum() == 0 ? "0" : units.toPlainString();
    }

    @Override
    public int compareTo(Amount other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
