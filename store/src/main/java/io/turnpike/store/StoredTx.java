package io.turnpike.store;

import io.turnpike.core.crypto.Bytes32;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An outgoing transaction with what the store knows of its fate.
 *
 * @param block where it was mined; present for MINED and CONFIRMED
 * @param replacedBy the hash of the transaction that replaced it, for REPLACED
 */
public record StoredTx(
        OutgoingTx tx,
        TxStatus status,
        Optional<BlockRef> block,
        Optional<Bytes32> replacedBy,
        Instant recordedAt,
        Instant updatedAt) {

    public StoredTx {
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(replacedBy, "replacedBy");
        Objects.requireNonNull(recordedAt, "recordedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
