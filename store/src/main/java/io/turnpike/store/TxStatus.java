package io.turnpike.store;

/** Where an outgoing transaction stands, as the chain layer's transaction manager tracks it. */
public enum TxStatus {
    /** Written down, not yet handed to an RPC endpoint. */
    RECORDED,
    /** Handed to an endpoint (or maybe: an ambiguous send counts as sent). */
    SENT,
    /** In a block, not yet deep enough; a re-org can put it back to SENT. */
    MINED,
    /** Deep enough to count. */
    CONFIRMED,
    /** Gone from the pool and never mined. */
    DROPPED,
    /** Superseded by a transaction with the same nonce and a higher fee. */
    REPLACED,
    /** Reverted or rejected. */
    FAILED;

    /** A final transaction needs no more watching. */
    public boolean isFinal() {
        return switch (this) {
            case RECORDED, SENT, MINED -> false;
            case CONFIRMED, DROPPED, REPLACED, FAILED -> true;
        };
    }
}
