package io.turnpike.store;

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
        Optional<String> replacedBy,
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
