package io.turnpike.store;

import io.turnpike.core.Amount;
import java.util.Objects;

/**
 * The running figures of one ledger direction: {@code used} (metered and priced), {@code paid} (from
 * proofs or confirmed transfers), {@code inFlight} (sent, not yet acknowledged) and {@code credit}
 * (overpayment, never turned into a debt owed back).
 */
public record LedgerBalance(Amount used, Amount paid, Amount inFlight, Amount credit) {

    public static final LedgerBalance ZERO = new LedgerBalance(Amount.ZERO, Amount.ZERO, Amount.ZERO, Amount.ZERO);

    public LedgerBalance {
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(inFlight, "inFlight");
        Objects.requireNonNull(credit, "credit");
    }

    /** The balance after {@code delta}; throws {@link ArithmeticException} if a figure would leave 0..2^256-1. */
    LedgerBalance plus(LedgerDelta delta) {
        return new LedgerBalance(
                new Amount(used.value().add(delta.used())),
                new Amount(paid.value().add(delta.paid())),
                new Amount(inFlight.value().add(delta.inFlight())),
                new Amount(credit.value().add(delta.credit())));
    }
}
