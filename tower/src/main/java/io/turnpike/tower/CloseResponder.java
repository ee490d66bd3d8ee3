package io.turnpike.tower;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainRpcException;
import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.chain.tx.SubmittedTx;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.chain.watch.ChannelEventListener;
import io.turnpike.chain.watch.ObservedEvent;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.store.StoredTx;
import io.turnpike.store.TowerEntry;
import io.turnpike.store.TowerPhase;
import io.turnpike.store.TowerReward;
import io.turnpike.store.TowerStore;
import io.turnpike.store.TowerWatch;
import io.turnpike.store.TxStatus;
import io.turnpike.store.TxStore;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers stale closes. A {@code ChannelClosed} by the partner of a node that uploaded to us schedules the
 * newest stored proof inside the tower's window; when its moment comes the update is simulated (a refusal
 * means there is nothing to do, and costs nothing), marked SUBMITTING, handed to the transaction manager and
 * marked SUBMITTED with its hash. Every step is written down before the next is taken, and each moves by
 * compare-and-set, so an event delivered twice or a restart in between never sends a second transaction. At
 * {@code ChannelSettled} the reward, if it is ours, is recorded and the channel's entries deleted.
 */
final class CloseResponder implements ChannelEventListener {

    private static final Logger LOG = LoggerFactory.getLogger(CloseResponder.class);

    private final Chain chain;
    private final ChannelsContract contract;
    private final TransactionManager transactions;
    private final TxStore journal;
    private final TowerStore store;
    private final ChannelDirectory directory;
    private final SubmissionWindow window;
    private final Clock clock;
    private final Address tower;

    CloseResponder(ChannelsContract contract, TransactionManager transactions, TxStore journal, TowerStore store,
                   ChannelDirectory directory, SubmissionWindow window, Clock clock) {
        this.chain = transactions.chain();
        this.contract = contract;
        this.transactions = transactions;
        this.journal = journal;
        this.store = store;
        this.directory = directory;
        this.window = window;
        this.clock = clock;
        this.tower = transactions.address();
    }

    @Override
    public void onEvent(ObservedEvent observed) {
        long id = observed.event().channelId();
        directory.locked(id, () -> {
            // Deposits, withdrawals, closes and settlements all change what an upload is checked against.
            directory.forget(id);
            switch (observed.event()) {
                case ChannelEvent.ChannelClosed closed -> closed(id, closed.closer(), closed.settleAt());
                case ChannelEvent.ChannelSettled settled -> settled(settled, observed.blockNumber());
                default -> {
                    // nothing to plan: only a close starts the tower's work, and a settlement ends it
                }
            }
            return null;
        });
    }

    /**
     * Settlements seen from {@code fromBlock} on are undone: their channels are watched again and their rewards
     * taken off the books; if the new chain settles them too, the watcher delivers that settlement again. Plans need
     * no undoing: one made from a close that a re-org removed is judged again by simulation when it comes due (the
     * contract then refuses with ChannelNotClosed and the plan goes back to watching), a close that comes again
     * finds its plan already made, and an update the re-org removed is sent again by the transaction manager.
     */
    @Override
    public void onRewind(long fromBlock) {
        List<Long> unsettled = store.unsettle(fromBlock);
        unsettled.forEach(directory::forget);
        LOG.info("events from block {} on were re-organised; {} plans are checked against the chain when due",
                fromBlock, unsettled.isEmpty() ? "its" : "settlements of channels " + unsettled + " undone, and");
    }

    /** Forgets the proofs of channels settled before {@code block}: deeper than any re-org the tower repairs. */
    void purgeSettledBefore(long block) {
        store.purgeSettled(block);
    }

    /**
     * Plans the answer to a close by {@code closer}: for the entry whose proof {@code closer} signed, at the tower's
     * moment, if it beats the closer's proof the chain holds (at a close, none; later, whatever the node or another
     * tower submitted). The caller holds the channel's lock.
     */
    void closed(long channelId, Address closer, long settleAt) {
        for (TowerEntry entry : store.listChannel(channelId)) {
            if (!entry.upload().closer().equals(closer)) {
                continue; // the uploader closed itself: only its partner could answer, and it needs no tower
            }
            long period = directory.facts(channelId).orElseThrow().challengePeriod();
            long onChain = contract.participant(channelId, closer).nonce();
            TowerWatch plan = TowerWatch.scheduled(window.actAt(settleAt, period), SubmissionWindow.deadline(settleAt));
            boolean beatsChain = entry.upload().nonce() > onChain;
            if (store.transition(channelId, entry.upload().nonCloser(), TowerPhase.WATCHING,
                    beatsChain ? plan : plan.done()) && beatsChain) {
                LOG.info("channel {} closed by {}, whose proof on chain has nonce {}; submitting nonce {} at {} "
                        + "(deadline {})", channelId, closer, onChain, entry.upload().nonce(),
                        plan.actAt().orElseThrow(), plan.deadline().orElseThrow());
            }
        }
    }

    private void settled(ChannelEvent.ChannelSettled settled, long block) {
        long id = settled.channelId();
        Optional<TowerReward> reward = Optional.empty();
        if (settled.monitor().equals(tower) && !settled.monitorReward().isZero()) {
            // No entry left means this settlement was handled before and its reward recorded then.
            reward = store.listChannel(id).stream().findFirst()
                    .map(entry -> new TowerReward(id, entry.upload().token(), settled.monitorReward()));
        }
        store.settled(id, block, reward);
        reward.ifPresent(r -> LOG.info("channel {} settled; reward {} earned ({} in all in asset {})", id, r.amount(),
                store.rewardsEarned(r.token()), r.token()));
    }

    /**
     * One round: what a stop interrupted is put back on track, finished submissions are judged again, and what is
     * due is acted on. Rounds never overlap (the caller serialises them).
     */
    void tick() {
        resumeInterrupted();
        for (TowerEntry entry : store.listInPhase(TowerPhase.SUBMITTED)) {
            Bytes32 update = entry.watch().txHash().orElseThrow();
            if (isFinished(update)) {
                // Mined, failed or dropped: the next simulation says whether the chain now holds our proof.
                store.transition(entry.channelId(), entry.upload().nonCloser(), TowerPhase.SUBMITTED,
                        entry.watch().rescheduled());
            } else {
                // Said every round, so a restarted tower's manager knows it too: the closer the channel's
                // settlement, the sooner a pending update is replaced and the more it pays.
                transactions.mustLandBy(update, entry.watch().deadline().orElseThrow());
            }
        }
        for (TowerEntry entry : store.listDue(clock.instant())) {
            try {
                act(entry);
            } catch (RpcException | ChainRpcException unreachable) {
                LOG.warn("cannot reach the chain to answer the close of channel {} ({}); retrying next round",
                        entry.channelId(), unreachable.getMessage());
                return;
            }
        }
    }

    /**
     * An entry still SUBMITTING when a round starts was interrupted (a crash or a store failure) between being
     * marked and being marked SUBMITTED; its transaction may or may not have been recorded. If the journal holds
     * it, it is adopted; if not, it was never sent, and the entry is scheduled again.
     */
    private void resumeInterrupted() {
        for (TowerEntry entry : store.listInPhase(TowerPhase.SUBMITTING)) {
            String purpose = UpdateCall.purpose(entry.channelId());
            Optional<StoredTx> recorded = journal.listNonFinal().stream()
                    .filter(tx -> tx.tx().sender().equals(tower) && tx.tx().purpose().equals(purpose))
                    .findFirst();
            TowerWatch next = recorded.map(tx -> entry.watch().submitted(tx.tx().hash()))
                    .orElseGet(() -> entry.watch().rescheduled());
            store.transition(entry.channelId(), entry.upload().nonCloser(), TowerPhase.SUBMITTING, next);
        }
    }

    private void act(TowerEntry entry) {
        long id = entry.channelId();
        Address nonCloser = entry.upload().nonCloser();
        String call = UpdateCall.encode(entry.upload(), tower);
        long gas;
        try {
            gas = chain.simulate(tower, contract.address(), Amount.ZERO, call, ChannelsContract.ARTIFACT);
        } catch (ContractRevertException refused) {
            if (refused.error() == null) {
                // Not the contract's judgement (a node's limit, say): the next round tries again.
                LOG.warn("channel {}: the update could not be simulated ({}); retrying next round", id,
                        refused.getMessage());
                return;
            }
            boolean reopened = "ChannelNotClosed".equals(refused.error());
            // NonceNotIncreasing: the node or another tower got there first; ChallengePeriodOver: too late.
            store.transition(id, nonCloser, TowerPhase.SCHEDULED,
                    reopened ? TowerWatch.watching() : entry.watch().done());
            LOG.info("channel {}: no update sent, the contract would refuse it ({})", id, refused.error());
            return;
        }
        Amount cost = chain.feeQuote().maxFeePerGas().times(gas);
        if (chain.balance(tower).isLessThan(cost)) {
            // The chain would refuse it, after the journal had reserved a nonce for it: send nothing instead.
            LOG.warn("channel {}: the tower's account {} holds less than the {} wei the update may cost; fund it. "
                    + "Retrying next round, until {}", id, tower, cost, entry.watch().deadline().orElseThrow());
            return;
        }
        if (!store.transition(id, nonCloser, TowerPhase.SCHEDULED, entry.watch().submitting())) {
            return; // a newer state of the plan was written meanwhile; the next round reads it
        }
        SubmittedTx sent;
        try {
            sent = transactions.submit(contract.address(), Amount.ZERO, call, UpdateCall.purpose(id),
                    ChannelsContract.ARTIFACT);
        } catch (ContractRevertException refusedNow) {
            // The chain changed since the simulation a moment ago; nothing was recorded, the next round judges again.
            store.transition(id, nonCloser, TowerPhase.SUBMITTING, entry.watch().rescheduled());
            return;
        } catch (RpcException | ChainRpcException unreachable) {
            // Nothing was recorded either: the manager simulates before it reserves a nonce.
            store.transition(id, nonCloser, TowerPhase.SUBMITTING, entry.watch().rescheduled());
            throw unreachable;
        }
        store.transition(id, nonCloser, TowerPhase.SUBMITTING, entry.watch().submitted(sent.hashes().getFirst()));
        transactions.mustLandBy(sent.hashes().getFirst(), entry.watch().deadline().orElseThrow());
        LOG.info("channel {}: update with nonce {} sent in {}", id, entry.upload().nonce(), sent.hash());
    }

    /** Whether the transaction, through whichever of its versions the chain took, has reached its end. */
    private boolean isFinished(Bytes32 firstVersion) {
        Optional<StoredTx> version = journal.findByHash(firstVersion);
        while (version.isPresent() && version.get().status() == TxStatus.REPLACED) {
            version = version.get().replacedBy().flatMap(journal::findByHash);
        }
        return version.map(tx -> tx.status().isFinal()).orElse(true);
    }
}
