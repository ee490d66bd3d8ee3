package io.turnpike.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exact, non-negative amount in an asset's smallest unit (wei, or a token's base unit), bounded by
 * uint256 so that every amount Turnpike handles can be written to the chain.
 */
public record Amount(BigInteger value) implements Comparable<Amount> {

    public static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
    public static final Amount ZERO = new Amount(BigInteger.ZERO);
    private static final Pattern FIGURE = Pattern.compile("([0-9]+)(?:\\.([0-9]+))?");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+(?:\\.[0-9]+)?");
    /** 78 digits of a uint256, a point and 78 of fraction: nothing longer is an amount. */
    private static final int MAX_FIGURE_LENGTH = 160;

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
     * Parses a decimal figure in whole units ("0.0042" ETH with 18 decimals) exactly: digits with at most one point,
     * no sign, no exponent. More fractional digits than the asset has are an error, never rounded; so are a negative
     * figure and one above what a uint256 holds — each said as what it is, and found before any arithmetic, so a
     * figure like "1e10000000" costs nothing.
     */
    public static Amount parse(String decimal, int decimals) {
        String text = decimal.strip();
        if (text.length() > MAX_FIGURE_LENGTH) {
            throw new IllegalArgumentException("'" + shortened(text) + "' is longer than any amount is written");
        }
        if (NEGATIVE.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is negative: amounts are 0 or more");
        }
        Matcher figure = FIGURE.matcher(text);
        if (!figure.matches()) {
            throw new IllegalArgumentException("'" + shortened(text) + "' is not a decimal figure such as 0.0042 "
                    + "(digits and at most one point; no sign, exponent or separators)");
        }
        String fraction = figure.group(2) == null ? "" : figure.group(2).replaceFirst("0+$", "");
        if (fraction.length() > decimals) {
            throw new IllegalArgumentException("'" + text + "' has more than " + decimals + " decimal places");
        }
        BigInteger value = new BigInteger(figure.group(1) + fraction + "0".repeat(decimals - fraction.length()));
        if (value.compareTo(MAX_UINT256) > 0) {
            throw new IllegalArgumentException("'" + shortened(text) + "' is more than an amount can be (2^256 - 1 "
                    + "of the smallest unit)");
        }
        return new Amount(value);
    }

    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "… (" + text.length() + " characters)";
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
