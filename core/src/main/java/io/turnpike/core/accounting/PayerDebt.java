package io.turnpike.core.accounting;

import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.Objects;

/**
 * What this node owes one provider, by its own meter: {@code used} (metered and priced), {@code paid}
 * (acknowledged), {@code inFlight} (sent, not yet acknowledged). Overpayment is never owed back: it
 * simply keeps {@link #owed()} at zero until usage catches up.
 */
public record PayerDebt(Amount used, Amount paid, Amount inFlight, Instant lastPaymentAt) {

    public PayerDebt {
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(inFlight, "inFlight");
        Objects.requireNonNull(lastPaymentAt, "lastPaymentAt");
    }

    public static PayerDebt none(Instant now) {
        return new PayerDebt(Amount.ZERO, Amount.ZERO, Amount.ZERO, now);
    }

    public Amount owed() {
        return used.saturatingMinus(paid);
    }

    /** Overpayment: paid beyond what was used. */
    public Amount credit() {
        return paid.saturatingMinus(used);
    }

    public boolean hasPaymentInFlight() {
        return !inFlight.isZero();
    }

    public PayerDebt meter(Amount cost) {
        return new PayerDebt(used.plus(cost), paid, inFlight, lastPaymentAt);
    }

    /** A payment of {@code amount} was sent (and persisted) at {@code now}. */
    public PayerDebt sending(Amount amount, Instant now) {
        if (hasPaymentInFlight()) {
            throw new IllegalStateException("one payment in flight per provider; " + inFlight + " is unacknowledged");
        }
        return new PayerDebt(used, paid, amount, now);
    }

    /** The provider acknowledged the payment in flight. */
    public PayerDebt acknowledged() {
        return new PayerDebt(used, paid.plus(inFlight), Amount.ZERO, lastPaymentAt);
    }

    /** The payment in flight was refused or lost; the debt is owed again and paid by the next payment. */
    public PayerDebt unacknowledged() {
        return new PayerDebt(used, paid, Amount.ZERO, lastPaymentAt);
    }
}
