package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Direct on-chain payments, the ones made without a channel: those this node credited, and those it paid.
 * Every write is durable when the call returns.
 */
public interface TransferStore {

    /**
     * Writes {@code transfer} down unless its transaction already is, in one atomic step: of any number of
     * calls for one transaction, concurrent or not, in this process or another on the same database,
     * exactly one returns true.
     *
     * @return whether this call wrote it, so the caller may credit it
     */
    boolean credit(ReceivedTransfer transfer);

    Optional<ReceivedTransfer> received(Bytes32 txHash);

    /** Everything credited to {@code peer} in {@code token}, exactly. */
    Amount receivedTotal(Address peer, Address token);

    /** Inserts the payment, or replaces what is stored for its id. */
    void putSent(SentTransfer transfer);

    Optional<SentTransfer> sent(UUID paymentId);

    /** Payments neither acknowledged nor failed, oldest first. */
    List<SentTransfer> listSentUnfinished();

    /** Everything {@code peer} acknowledged in {@code token}, exactly. */
    Amount sentAcknowledged(Address peer, Address token);
}
