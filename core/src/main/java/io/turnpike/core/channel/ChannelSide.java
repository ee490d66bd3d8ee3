package io.turnpike.core.channel;

import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One participant's money in a channel, as totals: the contract only ever raises them.
 *
 * @param pending a withdrawal both participants signed that the chain does not show yet: whoever holds the two
 *     signatures may put it on chain until its expiry, so both sides count it as withdrawn until then
 */
public record ChannelSide(Amount deposit, Amount withdrawn, Optional<PendingWithdraw> pending) {

    public static final ChannelSide EMPTY = new ChannelSide(Amount.ZERO, Amount.ZERO);

    public ChannelSide {
        Objects.requireNonNull(deposit, "deposit");
        Objects.requireNonNull(withdrawn, "withdrawn");
        Objects.requireNonNull(pending, "pending");
    }

    /** Totals as the chain has them, with no withdrawal signed beyond them. */
    public ChannelSide(Amount deposit, Amount withdrawn) {
        this(deposit, withdrawn, Optional.empty());
    }

    /** A withdrawal total signed but not seen on chain, and the last second (unix) the contract takes it. */
    public record PendingWithdraw(Amount total, long expiry) {

        public PendingWithdraw {
            Objects.requireNonNull(total, "total");
        }
    }

    /** What counts as withdrawn while spending: the chain's total, or a signed total that may still land. */
    public Amount committedWithdrawn() {
        return pending.map(p -> p.total().isGreaterThan(withdrawn) ? p.total() : withdrawn).orElse(withdrawn);
    }

    /**
     * The chain's totals read again, keeping a pending withdrawal until the chain shows it — or, given the time of the
     * block the totals were read at, until that block is past its expiry and so no later block can take it.
     */
    ChannelSide readAgain(ChannelSide chain, Optional<Instant> readAt) {
        Optional<PendingWithdraw> still = pending
                .filter(p -> p.total().isGreaterThan(chain.withdrawn()))
                .filter(p -> readAt.map(at -> at.getEpochSecond() <= p.expiry()).orElse(true));
        return new ChannelSide(chain.deposit(), chain.withdrawn(), still);
    }

    ChannelSide withPending(PendingWithdraw next) {
        return new ChannelSide(deposit, withdrawn, Optional.of(next));
    }
}
