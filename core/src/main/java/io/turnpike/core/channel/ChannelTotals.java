package io.turnpike.core.channel;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The totals that decide a channel's settlement: what each participant deposited and withdrew on chain,
 * and what each transferred to the other according to its newest balance proof.
 */
public record ChannelTotals(
        Amount depositA, Amount withdrawnA, Amount transferredA,
        Amount depositB, Amount withdrawnB, Amount transferredB) {

    public ChannelTotals {
        Objects.requireNonNull(depositA, "depositA");
        Objects.requireNonNull(withdrawnA, "withdrawnA");
        Objects.requireNonNull(transferredA, "transferredA");
        Objects.requireNonNull(depositB, "depositB");
        Objects.requireNonNull(withdrawnB, "withdrawnB");
        Objects.requireNonNull(transferredB, "transferredB");
    }

    /** What the contract holds for the channel: both deposits minus both withdrawals. */
    public Amount held() {
        BigInteger held = depositA.value().add(depositB.value())
                .subtract(withdrawnA.value())
                .subtract(withdrawnB.value());
        if (held.signum() < 0) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE,
                    "withdrawals (" + withdrawnA + " + " + withdrawnB + ") exceed deposits (" + depositA
                            + " + " + depositB + "); the channel totals are inconsistent, re-read them from the chain");
        }
        return Amount.of(held);
    }

    /**
     * The contract's settlement rule: A gets depositA − withdrawnA + transferredB − transferredA, clamped
     * to 0..held, and B gets the rest, so the payouts always add up to exactly what the channel holds and
     * settlement never fails, even when a proof claims more than was deposited.
     */
    public Payouts payouts() {
        Amount held = held();
        BigInteger rawA = depositA.value()
                .subtract(withdrawnA.value())
                .add(transferredB.value())
                .subtract(transferredA.value());
        Amount payoutA = rawA.signum() <= 0 ? Amount.ZERO : Amount.of(rawA.min(held.value()));
        return new Payouts(payoutA, held.minus(payoutA));
    }
}
