package io.turnpike.store;

import java.math.BigInteger;
import java.util.Objects;

/**
 * A signed change to each figure of a {@link LedgerBalance}, applied atomically: a payment acknowledged
 * is {@code paid +x, inFlight -x} in one step, so no reader ever sees the money counted twice or not at all.
 */
public record LedgerDelta(BigInteger used, BigInteger paid, BigInteger inFlight, BigInteger credit) {

    public static final LedgerDelta NONE =
            new LedgerDelta(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO);

    public LedgerDelta {
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(inFlight, "inFlight");
        Objects.requireNonNull(credit, "credit");
    }

    public LedgerDelta withUsed(BigInteger change) {
        return new LedgerDelta(change, paid, inFlight, credit);
    }

    public LedgerDelta withPaid(BigInteger change) {
        return new LedgerDelta(used, change, inFlight, credit);
    }

    public LedgerDelta withInFlight(BigInteger change) {
        return new LedgerDelta(used, paid, change, credit);
    }

    public LedgerDelta withCredit(BigInteger change) {
        return new LedgerDelta(used, paid, inFlight, change);
    }
}
