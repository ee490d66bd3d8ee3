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
    public record StatementCheck(boolean agreed, Amount providerFigure, Amount ownFigure, Amount toPay) {
    }

    /**
     * Within tolerance, the provider's figure (less what is in flight) is paid; beyond it, only this
     * node's own figure is, and the difference is reported.
     */
    public StatementCheck check(PayerDebt debt, Amount providerFigure) {
        Amount own = debt.owed();
        Amount difference = providerFigure.isGreaterThan(own) ? providerFigure.minus(own) : own.minus(providerFigure);
        boolean agreed = tolerance.covers(difference, own);
        Amount basis = agreed ? providerFigure : own;
        return new StatementCheck(agreed, providerFigure, own,
                debt.hasPaymentInFlight() ? Amount.ZERO : basis.saturatingMinus(debt.inFlight()));
    }
}
