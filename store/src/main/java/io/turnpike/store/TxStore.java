package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import java.util.List;
import java.util.Optional;

/**
 * Outgoing transactions, written down before they are sent so that a crash or an ambiguous send never
 * leads to a nonce used twice. Every write is durable when the call returns.
 */
public interface TxStore {

    /**
     * Reserves the next nonce for {@code sender}: the highest of {@code floor} (the chain's pending count,
     * say), one past the highest nonce stored, and one past the highest reserved. No two calls ever get
     * the same nonce, concurrently or across restarts.
     */
    long nextNonce(Address sender, long floor);

    /** Writes {@code tx} down as {@link TxStatus#RECORDED}, before it is sent. */
    StoredTx record(OutgoingTx tx);

    /**
     * Moves a transaction to {@code status}; {@code block} is required for MINED and CONFIRMED and
     * stored as given otherwise (empty clears it, as after a re-org).
     *
     * @throws StoreException {@link ErrorCode#UNKNOWN_TRANSACTION} for a hash never recorded
     * @throws IllegalArgumentException for REPLACED: use {@link #replace}
     */
    StoredTx updateStatus(Bytes32 hash, TxStatus status, Optional<BlockRef> block);

    /**
     * Records {@code replacement} (same sender and nonce, higher fees) and marks the transaction it
     * replaces REPLACED, in one step.
     *
     * @return the replacement as stored
     * @throws StoreException {@link ErrorCode#TRANSACTION_FINAL} if the old one is already final
     */
    StoredTx replace(Bytes32 replacedHash, OutgoingTx replacement);

    Optional<StoredTx> findByHash(Bytes32 hash);

    /** Transactions still to watch (not final), by sender and nonce. */
    List<StoredTx> listNonFinal();

    /**
     * {@code sender}'s CONFIRMED transactions in block {@code fromBlock} or later, by nonce: those a re-org deeper
     * than the confirmation depth could still take back.
     */
    List<StoredTx> listConfirmedSince(Address sender, long fromBlock);
}
