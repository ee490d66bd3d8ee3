package io.turnpike.chain.tx;

import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.store.BlockRef;
import io.turnpike.store.StoredTx;
import io.turnpike.store.TxStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One nonce of the sender and every version signed for it (the first, then each fee replacement). Only
 * the newest version is broadcast; whichever version the chain includes is the one that counts.
 * {@link #confirmed()} completes once it is {@code confirmations} deep, or fails when it never will.
 */
public final class SubmittedTx {

    private final long nonce;
    private final String purpose;
    private final ContractArtifact contract;
    private final List<StoredTx> versions = new ArrayList<>();
    private final CompletableFuture<TxReceipt> confirmed = new CompletableFuture<>();
    /** The version in a block, while one is; null when pending. */
    private StoredTx mined;
    private Instant sentAt;
    private long sentAtBlock = -1;
    private long nonceUsedSince = -1;
    private String lastProblem;
    /** When the transaction is of no use any more if not mined; null when it has no deadline. */
    private Instant deadline;

    SubmittedTx(long nonce, String purpose, ContractArtifact contract, Instant sentAt) {
        this.nonce = nonce;
        this.purpose = purpose;
        this.contract = contract;
        this.sentAt = sentAt;
    }

    public long nonce() {
        return nonce;
    }

    public String purpose() {
        return purpose;
    }

    /** The hash that counts: the mined version's, else the newest. */
    public synchronized Bytes32 hash() {
        return effective().tx().hash();
    }

    /** Every version's hash, oldest first: more than one means the transaction was replaced. */
    public synchronized List<Bytes32> hashes() {
        return versions.stream().map(v -> v.tx().hash()).toList();
    }

    public synchronized TxStatus status() {
        return effective().status();
    }

    /** The block holding it, while it is mined. */
    public synchronized Optional<BlockRef> block() {
        return effective().block();
    }

    /** Completes with the receipt once confirmed; fails with the reason it never will be. */
    public CompletableFuture<TxReceipt> confirmed() {
        return confirmed.copy();
    }

    @Override
    public synchronized String toString() {
        return "SubmittedTx[" + purpose + " nonce " + nonce + " " + effective().status() + " " + hash() + "]";
    }

    // ---------------------------------------------------------------- the manager's bookkeeping

    ContractArtifact contract() {
        return contract;
    }

    synchronized StoredTx newest() {
        return versions.getLast();
    }

    synchronized List<StoredTx> versions() {
        return List.copyOf(versions);
    }

    synchronized Optional<StoredTx> mined() {
        return Optional.ofNullable(mined);
    }

    synchronized StoredTx effective() {
        return mined != null ? mined : versions.getLast();
    }

    /** Puts a version's new stored state in place; a mined version becomes the one that counts. */
    synchronized void update(StoredTx stored) {
        Bytes32 hash = stored.tx().hash();
        int index = versions.stream().map(v -> v.tx().hash()).toList().indexOf(hash);
        if (index < 0) {
            versions.add(stored);
        } else {
            versions.set(index, stored);
        }
        boolean inBlock = stored.status() == TxStatus.MINED || stored.status() == TxStatus.CONFIRMED
                || (stored.status() == TxStatus.FAILED && stored.block().isPresent());
        if (inBlock) {
            mined = stored;
        } else if (mined != null && mined.tx().hash().equals(hash)) {
            mined = null;
        }
    }

    synchronized Instant sentAt() {
        return sentAt;
    }

    synchronized long sentAtBlock() {
        return sentAtBlock;
    }

    synchronized void sentAt(Instant at, long block) {
        sentAt = at;
        sentAtBlock = block;
    }

    synchronized Optional<Instant> deadline() {
        return Optional.ofNullable(deadline);
    }

    synchronized void deadline(Instant at) {
        deadline = at;
    }

    synchronized long nonceUsedSince() {
        return nonceUsedSince;
    }

    synchronized void nonceUsedSince(long block) {
        nonceUsedSince = block;
    }

    /** True when {@code problem} differs from the last one reported, so each is logged once. */
    synchronized boolean isNewProblem(String problem) {
        boolean fresh = !problem.equals(lastProblem);
        lastProblem = problem;
        return fresh;
    }

    CompletableFuture<TxReceipt> future() {
        return confirmed;
    }
}
