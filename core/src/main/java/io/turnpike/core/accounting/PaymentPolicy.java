package io.turnpike.core.accounting;

import io.turnpike.core.Amount;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The payer's rules (DESIGN §4): pay early — when what is owed reaches {@code payEarlyAt} of the provider's
 * threshold, or every {@code payInterval} if anything is owed — one payment in flight, the whole amount
 * owed; and trust a provider's statement only within {@code tolerance} of its own meter.
 */
public record PaymentPolicy(Ratio payEarlyAt, Duration payInterval, Ratio tolerance) {

    public static final PaymentPolicy DEFAULT = new PaymentPolicy(new Ratio(1, 2), Duration.ofSeconds(5),
            new Ratio(5, 100));

    public PaymentPolicy {
        Objects.requireNonNull(payEarlyAt, "payEarlyAt");
        Objects.requireNonNull(payInterval, "payInterval");
        Objects.requireNonNull(tolerance, "tolerance");
    }

    /** What to pay now, if anything. */
    public Optional<Amount> due(PayerDebt debt, Amount threshold, Instant now) {
        Amount owed = debt.owed();
        if (debt.hasPaymentInFlight() || owed.isZero()) {
            return Optional.empty();
        }
        boolean early = !owed.isLessThan(payEarlyAt.of(threshold));
        boolean interval = !now.isBefore(debt.lastPaymentAt().plus(payInterval));
        return early || interval ? Optional.of(owed) : Optional.empty();
    }

    /** How a provider's statement compares with this node's own meter. */
    public record StatementCheck(boolean agreed, Amount providerUsed, Amount ownUsed, Amount toPay) {
    }

    /**
     * Compares the provider's metered usage with this node's: the two meters see the same bytes but at
     * slightly different moments (and a node killed between two accounting ticks lost its last ones), so
     * cumulative usage, not a momentary debt, is what must agree: within {@code tolerance} of this node's
     * figure, or within the {@code payEarlyAt} share of the provider's threshold — the credit a payer extends
     * anyway by paying early, so a provider overstating usage gains at most that, once. Agreed, the
     * provider's debt figure (less what is in flight) is what to pay; otherwise only this node's own
     * figure is, and the caller reports the discrepancy.
     */
    public StatementCheck check(PayerDebt debt, Amount providerUsed, Amount providerDebt, Amount threshold) {
        Amount own = debt.used();
        Amount difference = providerUsed.isGreaterThan(own) ? providerUsed.minus(own) : own.minus(providerUsed);
        boolean agreed = tolerance.covers(difference, own) || !difference.isGreaterThan(payEarlyAt.of(threshold));
        Amount basis = agreed ? providerDebt : debt.owed();
        return new StatementCheck(agreed, providerUsed, own,
                debt.hasPaymentInFlight() ? Amount.ZERO : basis.saturatingMinus(debt.inFlight()));
    }
}
