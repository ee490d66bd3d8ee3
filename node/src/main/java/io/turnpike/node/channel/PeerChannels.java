package io.turnpike.node.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.channel.Withdraw;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.SettleRequest;
import io.turnpike.protocol.PeerMessage.SettleSign;
import io.turnpike.protocol.PeerMessage.WithdrawRequest;
import io.turnpike.protocol.PeerMessage.WithdrawSign;
import io.turnpike.store.ChannelStore;
import io.turnpike.store.StoreWrite;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The channels this node has with one partner, and the only holder of their state in the process. Every change is
 * a {@link Channel#transition transition}, and {@link #apply} is its persistence step: the next state is written to
 * the store, then its effects leave — messages to the partner, transactions through {@link ChannelChain} in the
 * background, whose outcome comes back as events on this peer's executor. Only that executor calls in here.
 */
public final class PeerChannels {

    private static final Logger LOG = LoggerFactory.getLogger(PeerChannels.class);
    /**
     * What only a balance proof is refused with. The error does not say which message it answers, and a peer may be
     * refusing a resent proof while a proposal waits; a proposal itself is never refused with these.
     */
    private static final Set<String> PROOF_REFUSALS = Set.of(ErrorCode.STALE_PROOF.code(),
            ErrorCode.TRANSFER_DECREASED.code(), ErrorCode.INSUFFICIENT_CAPACITY.code());

    private final Address partner;
    private final Map<Long, Channel> channels = new LinkedHashMap<>();
    private final ChannelStore store;
    private final ChannelChain chain;
    private final PrivateKey key;
    private final Executor executor;
    private final Executor background;
    private final Consumer<PeerMessage> send;
    private final MetricsTracker metrics;
    /** Transactions on their way, one per channel and kind, so a tick repeating an effect does not send it twice. */
    private final Set<String> submitting = new HashSet<>();
    private final List<Waiter> waiters = new ArrayList<>();
    /** Transitions made since the last write, by channel: written down together, then their effects leave. */
    private final Map<Long, Batch> unwritten = new LinkedHashMap<>();
    /** Payments made and taken since the last summary, for the operator's log. */
    private long paymentsMade;
    private Amount amountPaid = Amount.ZERO;
    private long paymentsTaken;
    private Amount amountTaken = Amount.ZERO;
    /** Withdrawals this node asked for and waits for the partner to co-sign, by channel. */
    private final Map<Long, CompletableFuture<Channel>> withdrawals = new LinkedHashMap<>();
    /** Of those, the ones the partner co-signed: a later error is not about them. */
    private final Set<Long> signedWithdrawals = new HashSet<>();
    /** Settlements this node proposed and waits for the partner to co-sign, by channel. */
    private final Map<Long, CompletableFuture<Channel>> proposals = new LinkedHashMap<>();

    private record Waiter(long channelId, Predicate<Channel> until, CompletableFuture<Channel> done) {
    }

    /** One channel's transitions awaiting their write, and who acts on their effects once it is done. */
    private static final class Batch {
        final List<Channel.Effect> effects = new ArrayList<>();
        BiConsumer<Channel, List<Channel.Effect>> written;
    }

    /**
     * @param known this partner's channels as stored
     * @param executor the peer's own executor, where chain outcomes are applied
     * @param send sends a message to the partner, or drops it when the partner is away
     */
    public PeerChannels(Address partner, List<Channel> known, ChannelStore store, ChannelChain chain, PrivateKey key,
                        Executor executor, Executor background, Consumer<PeerMessage> send, MetricsTracker metrics) {
        this.metrics = metrics;
        this.partner = partner;
        known.forEach(channel -> channels.put(channel.channelId(), channel));
        this.store = store;
        this.chain = chain;
        this.key = key;
        this.executor = executor;
        this.background = background;
        this.send = send;
    }

    public Optional<Channel> get(long channelId) {
        return Optional.ofNullable(channels.get(channelId));
    }

    /** The newest open channel in which this node has {@code role} (A: it pays through it; B: it is paid). */
    public Optional<Channel> open(Role role) {
        return channels.values().stream().filter(c -> c.role() == role && c.isOpen())
                .max(Comparator.comparingLong(Channel::channelId));
    }

    /** Whether any channel, in any state, has this node in {@code role}. */
    public boolean any(Role role) {
        return channels.values().stream().anyMatch(c -> c.role() == role);
    }

    public List<Channel> all() {
        return List.copyOf(channels.values());
    }

    /**
     * Moves a channel: the transition, then the next state persisted, then its effects sent. Returns the transition,
     * whose {@link Channel.Credited} effect is the caller's to act on.
     *
     * @throws TurnpikeException the event's refusal ({@code channel_not_open}, {@code stale_proof}, …), or
     *     {@code unknown_channel}; nothing changed
     */
    public Channel.Transition apply(long channelId, Channel.Event event) {
        Channel current = known(channelId);
        Channel.Transition transition = current.transition(event);
        Channel next = transition.channel();
        count(current, next);
        if (!next.equals(current)) {
            store.put(next);
            channels.put(channelId, next);
            logChange(current, next);
        }
        perform(next, transition.effects());
        notifyWaiters(next);
        return transition;
    }

    /**
     * Pays {@code amount} in a channel for the caller to deliver itself — in an HTTP request to the partner's paywall —
     * instead of over the peer connection: the proof is signed and written down like any payment, with {@code with}
     * (what the payment is booked as: the ledger's {@code used}, the day's spending) in the same commit, and returned
     * rather than sent.
     *
     * @throws TurnpikeException the payment's refusal ({@code channel_not_open}, {@code insufficient_funds}), a write
     *     of {@code with} refusing, or {@code unknown_channel}; nothing changed, nothing written
     */
    public Signed<BalanceProof> payOutOfBand(long channelId, Amount amount, List<StoreWrite> with) {
        Channel current = known(channelId);
        Channel next = current.transition(new Channel.Pay(amount, key)).channel();
        store.put(next, with);
        count(current, next);
        channels.put(channelId, next);
        return next.sent().orElseThrow();
    }

    /**
     * Takes a proof the partner delivered itself — in an HTTP request to this node's paywall — in memory only: the
     * channel holds it from now on, and {@link #writeWith} writes it down with what it paid for, in one commit, once
     * that is known (the paywall knows what a request cost only once its backend answered, and nothing leaves before
     * that write). Anything else that writes this channel meanwhile writes the proof too; proofs are cumulative, so a
     * crash before the write loses only what the partner's next proof pays again. The {@link Channel.Credited} effect
     * is the caller's to act on.
     *
     * @throws TurnpikeException the proof's refusal ({@code wrong_signer}, {@code stale_proof}, …), or
     *     {@code unknown_channel}; nothing changed
     */
    public Channel.Transition receiveUnwritten(long channelId, Signed<BalanceProof> proof) {
        Channel current = known(channelId);
        Channel.Transition transition = current.transition(new Channel.ReceiveProof(proof));
        count(current, transition.channel());
        channels.put(channelId, transition.channel());
        return transition;
    }

    /**
     * Writes the channel as it stands, with {@code with} in the same commit; returns it as written.
     *
     * @throws TurnpikeException a write of {@code with} refusing (then nothing is written), or {@code unknown_channel}
     */
    public Channel writeWith(long channelId, List<StoreWrite> with) {
        Channel current = known(channelId);
        store.put(current, with);
        notifyWaiters(current);
        return current;
    }

    private Channel known(long channelId) {
        return get(channelId).orElseThrow(() -> new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                "no channel " + channelId + " with " + partner + " is known"));
    }

    /**
     * Moves a channel like {@link #apply}, but writes it down with whatever else arrives before this peer's executor
     * gets to the write: proofs are cumulative, so one write of the newest state persists them all, and a burst
     * of payments costs one commit instead of one each. The effects leave only after that write — all of them for
     * the messages, and {@code written} is then called once with the channel as written and the batch's effects
     * (one channel's events are batched by one caller, so the newest {@code written} stands for the batch).
     *
     * @throws TurnpikeException the event's refusal; nothing changed
     */
    public void applyInBatch(long channelId, Channel.Event event, BiConsumer<Channel, List<Channel.Effect>> written) {
        Channel current = known(channelId);
        Channel.Transition transition = current.transition(event);
        count(current, transition.channel());
        channels.put(channelId, transition.channel());
        logChange(current, transition.channel());
        boolean first = unwritten.isEmpty();
        Batch batch = unwritten.computeIfAbsent(channelId, id -> new Batch());
        batch.effects.addAll(transition.effects());
        batch.written = written;
        if (first) {
            // Queued behind the messages that have already arrived, so they join this write.
            executor.execute(this::writeBatch);
        }
    }

    private void writeBatch() {
        List<Map.Entry<Long, Batch>> batches = List.copyOf(unwritten.entrySet());
        unwritten.clear();
        for (Map.Entry<Long, Batch> entry : batches) {
            store.put(channels.get(entry.getKey()));
        }
        for (Map.Entry<Long, Batch> entry : batches) {
            Channel channel = channels.get(entry.getKey());
            perform(channel, entry.getValue().effects);
            entry.getValue().written.accept(channel, entry.getValue().effects);
            notifyWaiters(channel);
        }
    }

    /**
     * A channel learned from the chain (opened, announced): written down and held from now on. One already held only
     * takes the chain's deposit totals — its state is its own, and never goes back to what the chain still shows.
     */
    public Channel adopt(Channel learned) {
        if (channels.containsKey(learned.channelId())) {
            return apply(learned.channelId(), new Channel.TotalsRead(learned.own(), learned.partnerSide())).channel();
        }
        store.put(learned);
        channels.put(learned.channelId(), learned);
        LOG.info("channel {} with {}: {} as {}, deposits {} and {}", learned.channelId(), partner, learned.status(),
                learned.role() == Role.A ? "payer" : "payee", learned.own().deposit(), learned.partnerSide().deposit());
        notifyWaiters(learned);
        return learned;
    }

    /** Completes once {@code until} holds for the channel, or fails if a transaction it waits for failed. */
    public CompletableFuture<Channel> until(long channelId, Predicate<Channel> until) {
        Channel current = known(channelId);
        CompletableFuture<Channel> done = new CompletableFuture<>();
        if (until.test(current)) {
            done.complete(current);
        } else {
            waiters.add(new Waiter(channelId, until, done));
        }
        return done;
    }

    // ---------------------------------------------------------------- cooperative settle and close

    /** Proposes to settle cooperatively; completes once it is settled on chain. The channel is frozen from now on. */
    public CompletableFuture<Channel> proposeSettle(long channelId) {
        apply(channelId, new Channel.ProposeSettle(key));
        CompletableFuture<Channel> settled = until(channelId, c -> c.status() == ChannelStatus.SETTLED);
        proposals.put(channelId, settled);
        return settled;
    }

    /** The partner's proposal: co-signed if this node's view gives the same payouts (the channel freezes). */
    public void settleProposed(Signed<CooperativeSettle> proposal) {
        long channelId = proposal.message().channelId();
        apply(channelId, new Channel.SettleProposed(proposal, key));
        LOG.info("channel {} with {}: co-signed the settlement paying A {} and B {}", channelId, partner,
                proposal.message().payoutA(), proposal.message().payoutB());
    }

    /** The partner's signature over this node's proposal: both go on chain. */
    public void settleSigned(Signed<CooperativeSettle> signature) {
        apply(signature.message().channelId(), new Channel.SettleSigned(signature, key));
    }

    /**
     * The partner refused something; if this node is waiting for it to co-sign, that wait ends with the refusal.
     * Returns whether a proposal was waiting.
     */
    public boolean settleRefused(PeerMessage.ErrorMessage error) {
        if (PROOF_REFUSALS.contains(error.code())) {
            return false; // the answer to a balance proof (one resent, say), never to a proposal
        }
        boolean any = false;
        for (CompletableFuture<Channel> proposal : proposals.values()) {
            any |= proposal.completeExceptionally(new TurnpikeException(ErrorCode.SETTLEMENT_MISMATCH,
                    "the partner refused to co-sign: [" + error.code() + "] " + error.message()));
        }
        proposals.clear();
        return any;
    }

    /** Closes on chain alone; completes once the chain shows it closed. */
    public CompletableFuture<Channel> close(long channelId) {
        apply(channelId, new Channel.Close());
        return until(channelId, c -> c.status() == ChannelStatus.CLOSED || c.status() == ChannelStatus.SETTLED);
    }

    /**
     * The chain's clock: settles what is due, puts newer proofs on chain while the chain holds less, and re-reads the
     * totals of a channel with a signed withdrawal past its expiry, which stops counting once a block past it shows
     * the chain never took it.
     */
    public void chainTime(Instant now) {
        for (Channel channel : all()) {
            if (channel.status() == ChannelStatus.CLOSED) {
                apply(channel.channelId(), new Channel.ChainTime(now));
            } else if (expired(channel.own(), now) || expired(channel.partnerSide(), now)) {
                readTotals(channel);
            }
        }
    }

    private static boolean expired(ChannelSide side, Instant now) {
        return side.pending().map(p -> now.getEpochSecond() > p.expiry()).orElse(false);
    }

    private void readTotals(Channel channel) {
        String what = channel.channelId() + " totals";
        if (!submitting.add(what)) {
            return;
        }
        background.execute(() -> {
            try {
                Channel.TotalsRead totals = chain.totals(channel);
                executor.execute(() -> {
                    submitting.remove(what);
                    apply(channel.channelId(), totals);
                });
            } catch (RuntimeException e) {
                LOG.warn("channel {} with {}: reading its totals failed: {}", channel.channelId(), partner,
                        e.getMessage());
                executor.execute(() -> submitting.remove(what));
            }
        });
    }

    // ---------------------------------------------------------------- cooperative withdrawal

    /**
     * Asks the partner to co-sign a withdrawal of {@code amount} more, counted as withdrawn from now on; completes once
     * the chain shows it, or fails if the partner refuses or the transaction fails.
     *
     * @throws TurnpikeException the request's refusal ({@code insufficient_funds}, {@code withdraw_pending},
     *     {@code channel_not_open}); nothing changed
     */
    public CompletableFuture<Channel> requestWithdraw(long channelId, Amount amount, long expiry) {
        Channel.Transition asked = apply(channelId, new Channel.RequestWithdraw(amount, expiry, key));
        Amount total = asked.channel().own().pending().orElseThrow().total();
        CompletableFuture<Channel> withdrawn = until(channelId, c -> !c.own().withdrawn().isLessThan(total));
        signedWithdrawals.remove(channelId);
        withdrawals.put(channelId, withdrawn);
        return withdrawn;
    }

    /** The partner's withdrawal: co-signed if its side still covers what it paid, and counted as gone until it lands. */
    public void withdrawRequested(Signed<Withdraw> request, Instant now) {
        long channelId = request.message().channelId();
        apply(channelId, new Channel.WithdrawRequested(request, now, key));
        LOG.info("channel {} with {}: co-signed its withdrawal of {} in total, until {}", channelId, partner,
                request.message().totalWithdraw(), request.message().expiry());
    }

    /** The partner's signature over this node's withdrawal: both go on chain. */
    public void withdrawSigned(Signed<Withdraw> signature) {
        long channelId = signature.message().channelId();
        apply(channelId, new Channel.WithdrawSigned(signature, key));
        // Co-signed: from now on only the chain, or the expiry, ends it.
        Optional.ofNullable(withdrawals.get(channelId)).ifPresent(w -> signedWithdrawals.add(channelId));
    }

    /**
     * The partner refused something; a withdrawal waiting for its co-signature ends with the refusal and no longer
     * counts, since the partner holds no signature over it. Returns whether one was waiting.
     */
    public boolean withdrawRefused(PeerMessage.ErrorMessage error) {
        if (PROOF_REFUSALS.contains(error.code())) {
            return false; // the answer to a balance proof, never to a withdrawal request
        }
        boolean any = false;
        for (Iterator<Map.Entry<Long, CompletableFuture<Channel>>> it = withdrawals.entrySet().iterator();
             it.hasNext(); ) {
            Map.Entry<Long, CompletableFuture<Channel>> waiting = it.next();
            if (signedWithdrawals.contains(waiting.getKey()) || waiting.getValue().isDone()) {
                continue;
            }
            it.remove();
            apply(waiting.getKey(), new Channel.WithdrawRefused());
            any |= waiting.getValue().completeExceptionally(new TurnpikeException(ErrorCode.OUT_OF_ORDER,
                    "the partner refused to co-sign the withdrawal: [" + error.code() + "] " + error.message()));
        }
        return any;
    }

    // ---------------------------------------------------------------- effects

    private void perform(Channel channel, List<Channel.Effect> effects) {
        for (Channel.Effect effect : effects) {
            switch (effect) {
                case Channel.SendProof proof -> {
                    LOG.debug("channel {}: paying {} in total to {} (nonce {})", channel.channelId(),
                            proof.proof().message().transferred(), partner, proof.proof().message().nonce());
                    send.accept(new Pay(proof.proof()));
                }
                case Channel.SendSettleProposal proposal -> send.accept(new SettleRequest(proposal.proposal()));
                case Channel.SendSettleSignature signature -> send.accept(new SettleSign(signature.signature()));
                case Channel.SendWithdrawRequest request -> send.accept(new WithdrawRequest(request.request()));
                case Channel.SendWithdrawSignature signature -> send.accept(new WithdrawSign(signature.signature()));
                case Channel.SubmitWithdraw withdraw -> submit(channel, withdraw);
                case Channel.Credited credited -> {
                    // The caller's: it credits the account and answers with a receipt.
                }
                case Channel.SubmitCooperativeSettle settle -> submit(channel, settle);
                case Channel.SubmitClose close -> submit(channel, close);
                case Channel.SubmitProofUpdate update -> submit(channel, update);
                case Channel.SubmitSettle settle -> submit(channel, settle);
            }
        }
    }

    /** Sends the transaction in the background; what the contract reports comes back here as events. */
    private void submit(Channel channel, Channel.Effect effect) {
        long channelId = channel.channelId();
        String what = channelId + " " + effect.getClass().getSimpleName();
        if (!submitting.add(what)) {
            return;
        }
        LOG.info("channel {} with {}: sending {}", channelId, partner, describe(effect));
        background.execute(() -> {
            try {
                List<Channel.Event> outcome = chain.submit(channel, effect);
                executor.execute(() -> {
                    submitting.remove(what);
                    for (Channel.Event event : outcome) {
                        apply(channelId, event);
                    }
                });
            } catch (RuntimeException e) {
                LOG.warn("channel {} with {}: {} failed: {}", channelId, partner, describe(effect), e.getMessage());
                executor.execute(() -> {
                    submitting.remove(what);
                    fail(channelId, e);
                });
            }
        });
    }

    private static String describe(Channel.Effect effect) {
        return switch (effect) {
            case Channel.SubmitCooperativeSettle settle -> "the cooperative settlement (A gets "
                    + settle.settlement().payoutA() + ", B gets " + settle.settlement().payoutB() + ")";
            case Channel.SubmitClose close -> "a close crediting nonce "
                    + close.received().map(p -> p.message().nonce()).orElse(0L);
            case Channel.SubmitProofUpdate update -> "the newest proof (nonce " + update.received().message().nonce()
                    + ") against a stale close";
            case Channel.SubmitSettle settle -> "the settlement after the challenge period";
            case Channel.SubmitWithdraw withdraw -> "the withdrawal of " + withdraw.withdraw().totalWithdraw()
                    + " in total";
            default -> effect.toString();
        };
    }

    private void notifyWaiters(Channel channel) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.channelId() == channel.channelId() && waiter.until().test(channel)) {
                it.remove();
                waiter.done().complete(channel);
            }
        }
    }

    private void fail(long channelId, RuntimeException cause) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.channelId() == channelId) {
                it.remove();
                waiter.done().completeExceptionally(cause);
            }
        }
    }

    private void count(Channel before, Channel after) {
        if (after.sentNonce() > before.sentNonce()) {
            Amount paid = after.sentTotal().minus(before.sentTotal());
            paymentsMade++;
            amountPaid = amountPaid.plus(paid);
            metrics.paid(partner, paid);
        }
        if (after.receivedNonce() > before.receivedNonce()) {
            Amount earned = after.receivedTotal().minus(before.receivedTotal());
            paymentsTaken++;
            amountTaken = amountTaken.plus(earned);
            metrics.earned(partner, earned);
        }
    }

    /** Logs the payments made and taken since the last summary, if there were any, and starts counting again. */
    public void logSummary(Duration over) {
        if (paymentsMade == 0 && paymentsTaken == 0) {
            return;
        }
        LOG.info("peer {}, last {} s: paid {} in {} payment(s), was paid {} in {} payment(s), each acknowledged",
                partner, over.toSeconds(), amountPaid, paymentsMade, amountTaken, paymentsTaken);
        paymentsMade = 0;
        paymentsTaken = 0;
        amountPaid = Amount.ZERO;
        amountTaken = Amount.ZERO;
    }

    private void logChange(Channel before, Channel after) {
        if (before.status() == after.status()) {
            return;
        }
        if (after.status() == ChannelStatus.SETTLED) {
            LOG.info("channel {} with {}: {} -> SETTLED; this node paid {} and was paid {} in it", after.channelId(),
                    partner, before.status(), after.paid(), after.earned());
        } else {
            LOG.info("channel {} with {}: {} -> {}", after.channelId(), partner, before.status(), after.status());
        }
    }
}
