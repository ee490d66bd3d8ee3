package io.turnpike.core.accounting;

import io.turnpike.core.Amount;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What one client owes this provider: {@code used} (metered and priced), {@code paid} (credited from proofs
 * or confirmed transfers), {@code forgiven} (the free allowance granted so far), and whether the client is
 * throttled to the free tier now.
 *
 * @param refreshedAt up to when the free allowance has been granted, in whole seconds
 */
public record ClientDebt(Amount used, Amount paid, Amount forgiven, Instant refreshedAt, boolean throttled) {

    public ClientDebt {
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(forgiven, "forgiven");
        Objects.requireNonNull(refreshedAt, "refreshedAt");
    }

    public static ClientDebt none(Instant now) {
        return new ClientDebt(Amount.ZERO, Amount.ZERO, Amount.ZERO, now, false);
    }

    /** Unpaid debt after the free allowance. */
    public Amount debt() {
        return used.saturatingMinus(paid.plus(forgiven));
    }

    /** Overpayment, kept as credit against future use; never a debt owed back. */
    public Amount credit() {
        return paid.saturatingMinus(used);
    }

    public ClientDebt meter(Amount cost) {
        return new ClientDebt(used.plus(cost), paid, forgiven, refreshedAt, throttled);
    }

    /** A payment of {@code amount} was verified and persisted. */
    public ClientDebt credited(Amount amount) {
        return new ClientDebt(used, paid.plus(amount), forgiven, refreshedAt, throttled);
    }

    /**
     * Grants the free allowance that accrued since the last refresh, {@code ratePerSecond} for each whole
     * second; it only ever forgives existing debt and is never banked.
     */
    public ClientDebt refreshed(Amount ratePerSecond, Instant now) {
        long seconds = Duration.between(refreshedAt, now).getSeconds();
        if (seconds <= 0) {
            return this;
        }
        Amount grant = ratePerSecond.times(seconds).min(debt());
        return new ClientDebt(used, paid, forgiven.plus(grant), refreshedAt.plusSeconds(seconds), throttled);
    }

    ClientDebt withThrottled(boolean value) {
        return value == throttled ? this : new ClientDebt(used, paid, forgiven, refreshedAt, value);
    }
}
