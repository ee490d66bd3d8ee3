package io.turnpike.chain;

import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.Objects;

/** The two EIP-1559 fee fields of a transaction, in wei per gas. */
public record Fees(Amount maxFeePerGas, Amount maxPriorityFeePerGas) {

    public Fees {
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        if (maxPriorityFeePerGas.isGreaterThan(maxFeePerGas)) {
            throw new IllegalArgumentException("the priority fee " + maxPriorityFeePerGas
                    + " cannot exceed the fee cap " + maxFeePerGas);
        }
    }

    /**
     * What a replacement of a transaction with these fees offers: both fields raised by at least 12.5 %
     * (rounded up) and by at least 1 wei, which every common node's replacement rule accepts.
     */
    public Fees bumped() {
        return new Fees(bump(maxFeePerGas), bump(maxPriorityFeePerGas));
    }

    /**
     * {@link #bumped()}, or these fees times {@code numerator / denominator} (rounded up) where that is more: how a
     * replacement pays more the closer its deadline.
     */
    public Fees scaledAtLeastBumped(long numerator, long denominator) {
        Fees bumped = bumped();
        return new Fees(scale(maxFeePerGas, numerator, denominator).max(bumped.maxFeePerGas),
                scale(maxPriorityFeePerGas, numerator, denominator).max(bumped.maxPriorityFeePerGas));
    }

    /** Each field the higher of the two, so a replacement never offers less than the market asks now. */
    public Fees atLeast(Fees other) {
        return new Fees(maxFeePerGas.max(other.maxFeePerGas), maxPriorityFeePerGas.max(other.maxPriorityFeePerGas));
    }

    private static Amount scale(Amount fee, long numerator, long denominator) {
        BigInteger d = BigInteger.valueOf(denominator);
        return Amount.of(fee.value().multiply(BigInteger.valueOf(numerator)).add(d.subtract(BigInteger.ONE)).divide(d));
    }

    private static Amount bump(Amount fee) {
        BigInteger eighth = fee.value().add(BigInteger.valueOf(7)).shiftRight(3); // ceil(fee / 8)
        return Amount.of(fee.value().add(eighth.max(BigInteger.ONE)));
    }
}
