package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * A channel as this node sees it.
 *
 * @param us our address in the channel
 * @param token the asset's token, the zero address for ether
 * @param ours our deposit and withdrawals; {@code theirs} the partner's
 * @param settleAt when the challenge period ends (whole seconds, as the chain counts); empty while open
 * @param sent the newest proof we signed for the partner; {@code received} the newest the partner signed
 *     for us; empty before the first payment
 */
public record Channel(
        ChannelRef ref,
        Address us,
        Address partner,
        Address token,
        Role ourRole,
        ChannelState state,
        long challengePeriodSeconds,
        ChannelSide ours,
        ChannelSide theirs,
        Optional<Instant> settleAt,
        Optional<Signed<BalanceProof>> sent,
        Optional<Signed<BalanceProof>> received) {

    public Channel {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(us, "us");
        Objects.requireNonNull(partner, "partner");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(ourRole, "ourRole");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(ours, "ours");
        Objects.requireNonNull(theirs, "theirs");
        if (challengePeriodSeconds <= 0) {
            throw new IllegalArgumentException("a challenge period is positive, got " + challengePeriodSeconds);
        }
        settleAt = settleAt.map(at -> at.truncatedTo(ChronoUnit.SECONDS));
        sent.ifPresent(proof -> ref.requireOwn(proof));
        received.ifPresent(proof -> ref.requireOwn(proof));
    }

    /** A channel just opened on chain: no deposits, no proofs. */
    public static Channel opened(
            ChannelRef ref, Address us, Address partner, Address token, Role ourRole, long challengePeriodSeconds) {
        return new Channel(ref, us, partner, token, ourRole, ChannelState.OPEN, challengePeriodSeconds,
                ChannelSide.EMPTY, ChannelSide.EMPTY, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The newest proof held for {@code direction}. */
    public Optional<Signed<BalanceProof>> proof(Direction direction) {
        return switch (direction) {
            case SENT -> sent;
            case RECEIVED -> received;
        };
    }
}
