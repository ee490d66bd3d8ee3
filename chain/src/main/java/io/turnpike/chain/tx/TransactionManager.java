package io.turnpike.chain.tx;

import io.turnpike.core.ErrorCode;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.Eip1559Transaction;
import io.turnpike.chain.Fees;
import io.turnpike.chain.SignedTransaction;
import io.turnpike.chain.TransactionSender;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.store.BlockRef;
import io.turnpike.store.OutgoingTx;
import io.turnpike.store.StoredTx;
import io.turnpike.store.TxStatus;
import io.turnpike.store.TxStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * The production sender for one key. Every transaction is simulated (a refused call is reported by name
 * and costs nothing), given a nonce from the store's journal, signed, and written down <em>before</em> it
 * is sent; from then on the same signed bytes are what is sent, again and again if need be, until a
 * version of it is {@code confirmations} blocks deep. Only a fee replacement is signed anew, for the same
 * nonce, recorded with {@link TxStore#replace}.
 *
 * <p>{@link #tick()} moves every tracked transaction on: sends what was recorded but not sent (a crash in
 * between), looks up what may have been published (an ambiguous send), sends again what left the pool,
 * replaces what is stuck, confirms what is deep enough, and puts back to pending what a re-org removed. A
 * scheduler calls it in production; tests call it directly. Transport failures never escape it: the
 * round stops and the next one resumes from the store's state.
 *
 * <p>The key must not be used by anything else at the same time: the journal is the only source of nonces.
 */
public final class TransactionManager implements TransactionSender {

    private static final Logger LOG = LoggerFactory.getLogger(TransactionManager.class);
    private static final String GAP_FILL = "nonce.gap_fill";
    private static final long TRANSFER_GAS = 21_000;
    /** The most one replacement multiplies the fees by, however close its deadline. */
    private static final long MAX_URGENT_FACTOR = 4;

    private final Chain chain;
    private final PrivateKey key;
    private final Address address;
    private final TxStore store;
    private final TxConfig config;
    /** Guarded by this: one slot per nonce still watched. */
    private final NavigableMap<Long, SubmittedTx> slots = new TreeMap<>();
    private long lastHead = -1;
    private boolean chainUnavailable;
    /** Whether the confirmed transactions a deeper re-org could still take back are watched again since the start. */
    private boolean recentConfirmedResumed;

    private TransactionManager(Chain chain, PrivateKey key, TxStore store, TxConfig config) {
        this.chain = chain;
        this.key = key;
        this.address = key.address();
        this.store = store;
        this.config = config;
    }

    /**
     * A manager for {@code key} that resumes every transaction of that key the store has not seen to a
     * final status; the first {@link #tick()} sends those recorded but never sent.
     */
    public static TransactionManager open(Chain chain, PrivateKey key, TxStore store, TxConfig config) {
        TransactionManager manager = new TransactionManager(chain, key, store, config);
        manager.resume();
        return manager;
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public Chain chain() {
        return chain;
    }

    /**
     * Simulates, records and sends a call or transfer; returns at once with its handle.
     *
     * @param data ABI-encoded call, 0x-prefixed ("0x" for a plain transfer)
     * @param purpose a short label for operators ("channel.deposit"), 1..64 characters
     * @param forErrors names the custom errors of a refusal; null when {@code to} is not a contract of ours
     * @throws io.turnpike.chain.ContractRevertException if the contract refuses the call: nothing recorded or sent
     * @throws RpcException if the chain cannot be reached to simulate: nothing recorded or sent
     */
    public SubmittedTx submit(Address to, Amount value, String data, String purpose, ContractArtifact forErrors) {
        Objects.requireNonNull(to, "to: the manager sends calls and transfers; deploy with a ChainAccount");
        long gasLimit = chain.simulate(address, to, value, data, forErrors);
        Fees fees = chain.feeQuote();
        long chainNonce = chain.pendingNonce(address);
        synchronized (this) {
            long nonce = store.nextNonce(address, chainNonce);
            SubmittedTx slot = new SubmittedTx(nonce, purpose, forErrors, config.clock().instant());
            record(slot, new Eip1559Transaction(chain.chainId(), nonce, gasLimit, to, value, data, fees));
            slots.put(nonce, slot);
            broadcast(slot, true);
            return slot;
        }
    }

    /** Submits and waits until confirmed; someone must be calling {@link #tick()} meanwhile. */
    @Override
    public TxReceipt send(Address to, Amount value, String data, ContractArtifact contract) {
        String selector = data.length() >= 10 ? " " + data.substring(0, 10) : "";
        SubmittedTx tx = submit(to, value, data, (contract == null ? "transfer" : contract.name()) + selector, contract);
        try {
            return tx.confirmed().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * Tells the manager that the transaction first sent as {@code firstVersion} is of no use if not mined by
     * {@code deadline} (a tower's update before a channel settles): while it is pending, the closer the deadline, the
     * sooner it counts as stuck and the more its replacement offers. Not kept in the store; the caller says it again
     * after a restart. Unknown or finished transactions are left alone.
     */
    public synchronized void mustLandBy(Bytes32 firstVersion, Instant deadline) {
        slots.values().stream().filter(slot -> slot.hashes().getFirst().equals(firstVersion)).findFirst()
                .ifPresent(slot -> slot.deadline(deadline));
    }

    /** The transactions still watched, by nonce. */
    public synchronized List<SubmittedTx> tracked() {
        return List.copyOf(slots.values());
    }

    /**
     * One round over every tracked transaction; see the class comment. An unreachable or misbehaving RPC
     * ends the round quietly; only a store failure is thrown.
     */
    public synchronized void tick() {
        try {
            Round round = new Round(chain.head());
            lastHead = round.head;
            if (!recentConfirmedResumed) {
                resumeRecentConfirmed(round);
            }
            for (SubmittedTx slot : List.copyOf(slots.values())) {
                advance(slot, round);
            }
            slots.values().removeIf(slot -> isDone(slot, round));
            if (chainUnavailable) {
                LOG.info("the chain is reachable again; transactions are tracked again");
                chainUnavailable = false;
            }
        } catch (RpcException | ChainRpcException e) {
            // Everything done so far is in the store; the next round picks up from there.
            if (!chainUnavailable) {
                LOG.warn("cannot read the chain ({}); transactions wait for the next round", e.getMessage());
                chainUnavailable = true;
            }
        }
    }

    // ---------------------------------------------------------------- one transaction

    private void advance(SubmittedTx slot, Round round) {
        Optional<StoredTx> mined = slot.mined();
        if (mined.isPresent()) {
            checkMined(slot, mined.get(), chain.receipt(mined.get().tx().hash()), round);
            return;
        }
        switch (slot.newest().status()) {
            case RECORDED -> broadcast(slot, true);
            case SENT -> checkPending(slot, round);
            default -> {
                // final and not in a block (failed or taken): nothing left to do
            }
        }
    }

    private void checkPending(SubmittedTx slot, Round round) {
        // Any version may be the one mined: a replaced one can win if it was already in a block producer's pool.
        for (StoredTx version : slot.versions()) {
            Optional<TransactionReceipt> receipt = chain.receipt(version.tx().hash());
            if (receipt.isPresent()) {
                StoredTx mined = markMined(slot, version, receipt.get());
                checkMined(slot, mined, receipt, round);
                return;
            }
        }
        if (round.minedNonce() > slot.nonce()) {
            // The nonce is used but no version has a receipt: wait until that is settled (a lagging endpoint
            // may not have the receipt yet) before concluding another transaction took it.
            if (slot.nonceUsedSince() < 0) {
                slot.nonceUsedSince(round.head);
            } else if (round.head - slot.nonceUsedSince() >= config.confirmations()) {
                finish(slot, TxStatus.DROPPED, new TransactionException(ErrorCode.NONCE_TAKEN,
                        "nonce " + slot.nonce() + " of " + address + " was used by a transaction this node did not "
                                + "send; stop using this key elsewhere and submit the transaction again"));
            }
            return;
        }
        slot.nonceUsedSince(-1);
        StoredTx newest = slot.newest();
        if (!chain.isKnown(newest.tx().hash())) {
            LOG.info("{} left the pool unmined; sending the same bytes again", slot);
            broadcast(slot, true);
        } else if (isStuck(slot, round)) {
            List<Long> gaps = gapsBelow(slot, round);
            if (gaps.isEmpty()) {
                replace(slot, "pending since " + slot.sentAt());
            } else {
                gaps.forEach(this::fill);
                slot.sentAt(config.clock().instant(), round.head); // its fees were not the problem
            }
        }
    }

    private void checkMined(SubmittedTx slot, StoredTx mined, Optional<TransactionReceipt> receipt, Round round) {
        Bytes32 hash = mined.tx().hash();
        Optional<BlockRef> block = receipt.map(TransactionManager::blockOf);
        if (block.isEmpty() || !round.canonicalHash(block.get().number()).equals(Optional.of(block.get().hash()))) {
            reorganisedOut(slot, mined);
            return;
        }
        if (!mined.block().equals(block)) {
            // A re-org moved it into another block: it is counted again from there.
            LOG.warn("{} moved from {} to {} in a re-org; confirming it again", slot, mined.block().orElseThrow(),
                    block.get());
            mined = update(slot, hash, TxStatus.MINED, block);
        }
        boolean deepEnough = round.head - block.get().number() + 1 >= config.confirmations();
        if (mined.status() != TxStatus.MINED || !deepEnough) {
            return;
        }
        if (receipt.get().isStatusOK()) {
            update(slot, hash, TxStatus.CONFIRMED, block);
            LOG.info("{} confirmed in block {}", slot, block.get().number());
            slot.future().complete(TxReceipt.of(receipt.get()));
        } else {
            update(slot, hash, TxStatus.FAILED, block);
            slot.future().completeExceptionally(TxReceipt.reverted(hash, slot.contract()));
        }
    }

    /** A version was found in a block: it counts; the newest, if another, will never be mined. */
    private StoredTx markMined(SubmittedTx slot, StoredTx version, TransactionReceipt receipt) {
        BlockRef block = blockOf(receipt);
        StoredTx mined = update(slot, version.tx().hash(), TxStatus.MINED, Optional.of(block));
        StoredTx newest = slot.newest();
        if (!newest.tx().hash().equals(mined.tx().hash()) && !newest.status().isFinal()) {
            update(slot, newest.tx().hash(), TxStatus.DROPPED, Optional.empty());
        }
        LOG.info("{} mined in block {}", slot, block.number());
        return mined;
    }

    /** The block that held it is gone: pending again, and its newest bytes go out again. */
    private void reorganisedOut(SubmittedTx slot, StoredTx mined) {
        LOG.warn("{} was in block {}, which a re-org removed; it is pending again", slot, mined.block().orElseThrow());
        Bytes32 newest = slot.newest().tx().hash();
        if (!mined.tx().hash().equals(newest)) {
            update(slot, mined.tx().hash(), TxStatus.DROPPED, Optional.empty());
        }
        update(slot, newest, TxStatus.SENT, Optional.empty());
        broadcast(slot, true);
    }

    private boolean isStuck(SubmittedTx slot, Round round) {
        if (slot.sentAtBlock() < 0) {
            slot.sentAt(slot.sentAt(), round.head);
        }
        Instant now = config.clock().instant();
        Duration pending = Duration.between(slot.sentAt(), now);
        // With a deadline, pending for half the time that is left is too long: replacements come faster and faster.
        boolean late = slot.deadline().map(deadline -> pending.multipliedBy(2)
                .compareTo(Duration.between(now, deadline)) >= 0).orElse(false);
        return late || pending.compareTo(config.stuckAfter()) >= 0
                || round.head - slot.sentAtBlock() >= config.stuckBlocks();
    }

    /**
     * The usual 12.5 % raise; with a deadline closer than {@code stuckAfter}, the fees times how many times over
     * the time left would fit into {@code stuckAfter} (at most {@value #MAX_URGENT_FACTOR}×): a transaction that
     * must land in 30 s, when 3 min is the usual patience, pays 4× rather than 1.125×.
     */
    private Fees replacementFees(Fees current, SubmittedTx slot) {
        long patience = config.stuckAfter().toSeconds();
        long left = slot.deadline().map(d -> Math.max(1, Duration.between(config.clock().instant(), d).toSeconds()))
                .orElse(patience);
        return left >= patience ? current.bumped()
                : current.scaledAtLeastBumped(Math.min(patience, MAX_URGENT_FACTOR * left), left);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends the newest version's bytes, unchanged, and lets the node's answer decide. With
     * {@code mayReplace}, fees the node calls too low are raised at once; otherwise the next round does it.
     */
    private void broadcast(SubmittedTx slot, boolean mayReplace) {
        StoredTx newest = slot.newest();
        try {
            chain.sendRawTransaction(new SignedTransaction(newest.tx().raw(), newest.tx().hash()));
            markSent(slot);
        } catch (ChainRpcException refused) {
            switch (SendRefusal.of(refused.reason())) {
                case ALREADY_KNOWN -> markSent(slot);
                case NONCE_USED, AMBIGUOUS -> {
                    // Maybe it is ours, already in: the next round looks it up by hash.
                    if (slot.isNewProblem(refused.reason())) {
                        LOG.warn("{}: the node answered '{}'; looking it up by hash", slot, refused.reason());
                    }
                    markSent(slot);
                }
                case UNDERPRICED -> {
                    if (mayReplace) {
                        replace(slot, "the node refused its fees: " + refused.reason());
                    }
                }
                case REJECTED -> finish(slot, TxStatus.FAILED, new TransactionException(
                        ErrorCode.TRANSACTION_REJECTED, "the chain refused " + slot + ": " + refused.reason()
                                + "; fix the cause (funds, gas) and submit it again"));
            }
        } catch (RpcException unreachable) {
            // Maybe published: it counts as sent, is looked up by hash, and only these bytes are ever sent again.
            markSent(slot);
        }
    }

    /** Signs the same call for the same nonce with higher fees, records it as the replacement, sends it. */
    private void replace(SubmittedTx slot, String why) {
        Eip1559Transaction current = Eip1559Transaction.decode(slot.newest().tx().raw());
        Fees fees = replacementFees(current.fees(), slot).atLeast(chain.feeQuote());
        if (fees.maxFeePerGas().isGreaterThan(config.maxFeePerGas())) {
            if (slot.isNewProblem("fee cap")) {
                LOG.warn("{} is stuck ({}) but its replacement would pay {} wei per gas, above the cap of {}; "
                        + "it waits", slot, why, fees.maxFeePerGas(), config.maxFeePerGas());
            }
            return;
        }
        record(slot, current.withFees(fees));
        LOG.info("{} replaced ({}): fee cap {} -> {} wei per gas", slot, why, current.fees().maxFeePerGas(),
                fees.maxFeePerGas());
        broadcast(slot, false);
    }

    /** Signs {@code tx} and writes it down (as the slot's first version, or as a replacement) before any send. */
    private void record(SubmittedTx slot, Eip1559Transaction tx) {
        SignedTransaction signed = tx.sign(key);
        OutgoingTx outgoing = new OutgoingTx(address, tx.nonce(), tx.to(), tx.value(),
                HexFormat.of().parseHex(tx.data().substring(2)), signed.raw(), signed.hash(),
                tx.fees().maxFeePerGas(), tx.fees().maxPriorityFeePerGas(), slot.purpose());
        StoredTx stored = slot.versions().isEmpty()
                ? store.record(outgoing)
                : store.replace(slot.newest().tx().hash(), outgoing);
        slot.update(stored);
        slot.sentAt(config.clock().instant(), lastHead);
    }

    private void markSent(SubmittedTx slot) {
        StoredTx newest = slot.newest();
        if (newest.status() != TxStatus.SENT) {
            update(slot, newest.tx().hash(), TxStatus.SENT, Optional.empty());
        }
    }

    private void finish(SubmittedTx slot, TxStatus status, TransactionException why) {
        update(slot, slot.newest().tx().hash(), status, Optional.empty());
        LOG.warn(why.getMessage());
        slot.future().completeExceptionally(why);
    }

    private StoredTx update(SubmittedTx slot, Bytes32 hash, TxStatus status, Optional<BlockRef> block) {
        StoredTx stored = store.updateStatus(hash, status, block);
        slot.update(stored);
        return stored;
    }

    // ---------------------------------------------------------------- the nonce sequence

    /**
     * Nonces below {@code slot}'s that are neither mined nor tracked: reserved but never used (a crash
     * between reserving and recording, or a refused transaction). Such a gap holds back every later nonce.
     */
    private List<Long> gapsBelow(SubmittedTx slot, Round round) {
        List<Long> gaps = new ArrayList<>();
        for (long nonce = round.minedNonce(); nonce < slot.nonce(); nonce++) {
            SubmittedTx below = slots.get(nonce);
            if (below == null || below.mined().isEmpty() && below.effective().status() == TxStatus.FAILED) {
                gaps.add(nonce);
            }
        }
        return gaps;
    }

    /**
     * Fills a gap with an empty transfer to ourselves. Only once a transaction is stuck behind it: a
     * transaction re-organised out may still come back by itself before then.
     */
    private void fill(long nonce) {
        LOG.warn("nonce {} of {} was reserved but never used; filling it so later transactions can be mined",
                nonce, address);
        SubmittedTx fill = new SubmittedTx(nonce, GAP_FILL, null, config.clock().instant());
        record(fill, new Eip1559Transaction(chain.chainId(), nonce, TRANSFER_GAS, address, Amount.ZERO, "0x",
                chain.feeQuote()));
        slots.put(nonce, fill);
        broadcast(fill, true);
    }

    private boolean isDone(SubmittedTx slot, Round round) {
        StoredTx effective = slot.effective();
        return switch (effective.status()) {
            case FAILED, DROPPED, REPLACED -> true;
            case CONFIRMED -> round.head - effective.block().orElseThrow().number() + 1
                    >= config.confirmations() + config.watchConfirmed();
            case RECORDED, SENT, MINED -> false;
        };
    }

    private void resume() {
        Map<Long, List<StoredTx>> byNonce = new TreeMap<>();
        for (StoredTx stored : store.listNonFinal()) {
            if (stored.tx().sender().equals(address)) {
                byNonce.computeIfAbsent(stored.tx().nonce(), n -> new ArrayList<>()).add(stored);
            }
        }
        byNonce.forEach((nonce, versions) -> {
            StoredTx newest = versions.getLast();
            SubmittedTx slot = new SubmittedTx(nonce, newest.tx().purpose(), null, newest.updatedAt());
            versions.forEach(slot::update);
            slots.put(nonce, slot);
        });
        if (!slots.isEmpty()) {
            LOG.info("resuming {} unfinished transactions of {}", slots.size(), address);
        }
    }

    /**
     * Confirmed transactions are re-checked for {@code watchConfirmed} more blocks; a restart must not end that
     * watch, or a re-org deeper than the confirmation depth while the node was down would take a payment back
     * unnoticed. Needs the head, so the first round does it.
     */
    private void resumeRecentConfirmed(Round round) {
        long from = round.head - config.confirmations() - config.watchConfirmed() + 1;
        int resumed = 0;
        for (StoredTx confirmed : store.listConfirmedSince(address, Math.max(0, from))) {
            if (!slots.containsKey(confirmed.tx().nonce())) {
                SubmittedTx slot = new SubmittedTx(confirmed.tx().nonce(), confirmed.tx().purpose(), null,
                        confirmed.updatedAt());
                slot.update(confirmed);
                slots.put(confirmed.tx().nonce(), slot);
                resumed++;
            }
        }
        if (resumed > 0) {
            LOG.info("watching {} recently confirmed transactions of {} for deeper re-orgs", resumed, address);
        }
        recentConfirmedResumed = true;
    }

    private static BlockRef blockOf(TransactionReceipt receipt) {
        return new BlockRef(receipt.getBlockNumber().longValueExact(), Bytes32.fromHex(receipt.getBlockHash()));
    }

    /** What one round learned of the chain, each fact fetched at most once. */
    private final class Round {
        final long head;
        private final Map<Long, Optional<Bytes32>> canonical = new HashMap<>();
        private long minedNonce = -1;

        Round(long head) {
            this.head = head;
        }

        Optional<Bytes32> canonicalHash(long block) {
            return canonical.computeIfAbsent(block, chain::blockHash);
        }

        long minedNonce() {
            if (minedNonce < 0) {
                minedNonce = chain.nonce(address);
            }
            return minedNonce;
        }
    }
}
