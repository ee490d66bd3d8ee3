package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A direct on-chain payment this node makes to a peer, from before its transaction exists until the peer
 * acknowledges it.
 *
 * @param paymentId chosen before the transaction, so a transaction recorded just before a crash can be told
 *     apart from any other after it
 * @param txHash empty while {@link State#PREPARED}; the first version's hash while {@link State#SUBMITTED}; the
 *     version that counted from {@link State#CONFIRMED} on
 */
public record SentTransfer(UUID paymentId, Address peer, Address token, Amount amount, State state,
                           Optional<Bytes32> txHash) {

    public enum State {
        /** Written down before the transaction: the amount is in flight, though nothing may have been sent. */
        PREPARED,
        /** Its transaction is recorded and sent, and has not counted yet. */
        SUBMITTED,
        /** Its transaction counted on chain; the peer is told (again after every reconnect) until it acknowledges. */
        CONFIRMED,
        /** The peer counts it as paid. */
        ACKNOWLEDGED,
        /** Its transaction never counted (refused, dropped, reverted): nothing was paid, the amount is owed again. */
        FAILED;

        public boolean isFinished() {
            return this == ACKNOWLEDGED || this == FAILED;
        }
    }

    public SentTransfer {
        Objects.requireNonNull(paymentId, "paymentId");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(txHash, "txHash");
        boolean needsHash = state == State.SUBMITTED || state == State.CONFIRMED || state == State.ACKNOWLEDGED;
        if (needsHash != txHash.isPresent() && state != State.FAILED) {
            throw new IllegalArgumentException("a " + state + " transfer " + (needsHash ? "needs" : "has no")
                    + " transaction hash");
        }
    }

    /** A new payment of {@code amount}, before its transaction. */
    public static SentTransfer prepared(Address peer, Address token, Amount amount) {
        return new SentTransfer(UUID.randomUUID(), peer, token, amount, State.PREPARED, Optional.empty());
    }

    public SentTransfer submitted(Bytes32 firstVersion) {
        return new SentTransfer(paymentId, peer, token, amount, State.SUBMITTED, Optional.of(firstVersion));
    }

    public SentTransfer confirmed(Bytes32 countedVersion) {
        return new SentTransfer(paymentId, peer, token, amount, State.CONFIRMED, Optional.of(countedVersion));
    }

    public SentTransfer acknowledged() {
        return new SentTransfer(paymentId, peer, token, amount, State.ACKNOWLEDGED, txHash);
    }

    public SentTransfer failed() {
        return new SentTransfer(paymentId, peer, token, amount, State.FAILED, txHash);
    }
}
