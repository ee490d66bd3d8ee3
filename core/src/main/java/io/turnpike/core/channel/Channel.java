package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One payment channel as this node sees it, and the only place its state changes (DESIGN §1). Every change is
 * {@link #transition(Event)}: an event in, the next channel and the {@link Effect effects} out. The owner persists
 * the next channel and only then lets the effects leave the process — a proof signed, a receipt, a signature
 * over a settlement, a transaction — so nothing that moves money is ever out in the world ahead of the disk
 * (Eclair's {@code goto(STATE) using data storing() sending msg}). A refused event throws a
 * {@link TurnpikeException} with a stable code and changes nothing.
 *
 * <pre>
 *            ProposeSettle / SettleProposed (views agree)
 *   OPEN ──────────────────────────────────────────────▶ CLOSING ──SettledOnChain──▶ SETTLED
 *     │                                                     │                         ▲
 *     └──────── ClosedOnChain (either side) ──▶ CLOSED ◀────┘ ClosedOnChain           │
 *                                                 └────────── SettledOnChain ─────────┘
 * </pre>
 *
 * <p>Proofs move only in {@code OPEN}. From the moment this node has signed a cooperative settlement it is
 * {@code CLOSING} for good: the partner holds that signature and can put those payouts on chain at any time, so
 * accepting or signing one more proof could only make this node's books disagree with what the chain pays.
 *
 * @param own this node's deposit and withdrawals; {@code partnerSide} the partner's
 * @param settleAt when the challenge period ends (whole seconds, as the chain counts); empty unless closed
 * @param sent the newest proof this node signed (what it has paid); {@code received} the newest the partner signed
 * @param onChain once closed on chain: who closed it and the transfers the chain will settle with, which may be
 *     older than the proofs held (a partner that closed with a stale proof, a proof never delivered); empty before
 *     that, and after a cooperative settle, whose payouts are the proofs held
 */
public record Channel(
        Eip712Domain domain,
        long channelId,
        Address self,
        Address partner,
        Address token,
        Role role,
        ChannelStatus status,
        long challengePeriodSeconds,
        ChannelSide own,
        ChannelSide partnerSide,
        Optional<Instant> settleAt,
        Optional<Signed<BalanceProof>> sent,
        Optional<Signed<BalanceProof>> received,
        Optional<Transfers> onChain) {

    /** How far ahead a withdrawal this node co-signs may expire: the partner's money counts as gone until then. */
    public static final Duration MAX_WITHDRAW_WINDOW = Duration.ofMinutes(10);

    /**
     * How long after the challenge period the side that did not close waits before it settles a channel closed on
     * chain. Anyone may settle, and both sides see the period end at the same block: were both to send, the second
     * transaction would revert and its sender pay the gas for nothing. The closer, who wanted the channel ended,
     * settles at once; the other side settles only if the closer has not by then (it went away after its close).
     */
    public static final Duration SETTLE_GRACE = Duration.ofMinutes(10);

    public Channel {
        ChannelFields.requireChannelId(channelId);
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(partner, "partner");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(own, "own");
        Objects.requireNonNull(partnerSide, "partnerSide");
        Objects.requireNonNull(onChain, "onChain");
        if (challengePeriodSeconds <= 0) {
            throw new IllegalArgumentException("a challenge period is positive, got " + challengePeriodSeconds);
        }
        settleAt = settleAt.map(at -> at.truncatedTo(ChronoUnit.SECONDS));
        ChannelRef ref = new ChannelRef(domain.chainId(), domain.verifyingContract(), channelId);
        sent.ifPresent(ref::requireOwn);
        received.ifPresent(ref::requireOwn);
    }

    /** What each direction transferred, as the chain will settle it, and who closed the channel on chain. */
    public record Transfers(Amount sent, Amount received, Address closer) {

        public Transfers {
            Objects.requireNonNull(sent, "sent");
            Objects.requireNonNull(received, "received");
            Objects.requireNonNull(closer, "closer");
        }
    }

    /** A channel just opened on chain, with its deposits; nothing paid either way. */
    public static Channel opened(Eip712Domain domain, long channelId, Address self, Address partner, Address token,
                                 Role role, long challengePeriodSeconds, ChannelSide own, ChannelSide partnerSide) {
        return new Channel(domain, channelId, self, partner, token, role, ChannelStatus.OPEN, challengePeriodSeconds,
                own, partnerSide, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ChannelRef ref() {
        return new ChannelRef(domain.chainId(), domain.verifyingContract(), channelId);
    }

    public boolean isOpen() {
        return status == ChannelStatus.OPEN;
    }

    // ---------------------------------------------------------------- figures

    /** Everything this node has signed over to the partner in this channel. */
    public Amount sentTotal() {
        return sent.map(p -> p.message().transferred()).orElse(Amount.ZERO);
    }

    /** Everything the partner has signed over to this node in this channel. */
    public Amount receivedTotal() {
        return received.map(p -> p.message().transferred()).orElse(Amount.ZERO);
    }

    public long sentNonce() {
        return sent.map(p -> p.message().nonce()).orElse(0L);
    }

    public long receivedNonce() {
        return received.map(p -> p.message().nonce()).orElse(0L);
    }

    /**
     * What this channel pays the partner: once closed on chain, what the chain will settle with; before, the
     * newest proof signed. This, summed over a peer's channels, is what the books say was paid.
     */
    public Amount paid() {
        return onChain.map(Transfers::sent).orElseGet(this::sentTotal);
    }

    /** What this channel pays this node, on the same terms as {@link #paid()}. */
    public Amount earned() {
        return onChain.map(Transfers::received).orElseGet(this::receivedTotal);
    }

    /**
     * What this node can still pay: its deposit less withdrawals (a signed one that may still land included), plus
     * what it received, less what it sent.
     */
    public Amount spendable() {
        return own.deposit().plus(receivedTotal()).saturatingMinus(own.committedWithdrawn().plus(sentTotal()));
    }

    /** What the partner can still pay this node, on the same terms. */
    public Amount partnerSpendable() {
        return partnerSide.deposit().plus(sentTotal())
                .saturatingMinus(partnerSide.committedWithdrawn().plus(receivedTotal()));
    }

    /** The payouts this node's view gives, in the contract's order (A opened the channel). */
    public CooperativeSettle settlement() {
        boolean weAreA = role == Role.A;
        ChannelSide a = weAreA ? own : partnerSide;
        ChannelSide b = weAreA ? partnerSide : own;
        Amount transferredA = weAreA ? sentTotal() : receivedTotal();
        Amount transferredB = weAreA ? receivedTotal() : sentTotal();
        Payouts payouts = new ChannelTotals(a.deposit(), a.withdrawn(), transferredA, b.deposit(), b.withdrawn(),
                transferredB).payouts();
        return new CooperativeSettle(channelId, payouts.a(), payouts.b());
    }

    // ---------------------------------------------------------------- events and effects

    /** What can happen to a channel: this node's own decisions, the partner's messages, and the chain's events. */
    public sealed interface Event {
    }

    /** This node pays {@code amount} more than everything sent so far. */
    public record Pay(Amount amount, PrivateKey key) implements Event {
    }

    /** The partner's newest proof arrived. */
    public record ReceiveProof(Signed<BalanceProof> proof) implements Event {
    }

    /**
     * The chain's deposit and withdrawal totals, read again (a top-up counted). With {@code readAt}, the time of the
     * block they were read at: a signed withdrawal that block is past the expiry of can never land, and stops counting.
     */
    public record TotalsRead(ChannelSide own, ChannelSide partnerSide, Optional<Instant> readAt) implements Event {

        public TotalsRead(ChannelSide own, ChannelSide partnerSide) {
            this(own, partnerSide, Optional.empty());
        }
    }

    /** This node withdraws {@code amount} more from its side, to expire at {@code expiry} (unix seconds). */
    public record RequestWithdraw(Amount amount, long expiry, PrivateKey key) implements Event {
    }

    /** The partner asks this node to co-sign its withdrawal; {@code now} is this node's clock. */
    public record WithdrawRequested(Signed<Withdraw> request, Instant now, PrivateKey key) implements Event {
    }

    /** The partner's signature over the withdrawal this node asked for. */
    public record WithdrawSigned(Signed<Withdraw> signature, PrivateKey key) implements Event {
    }

    /** The partner refused to co-sign this node's withdrawal: it holds no signature, so nothing is pending. */
    public record WithdrawRefused() implements Event {
    }

    /** The chain shows {@code participant} has deposited {@code total} in all (a top-up, of either side). */
    public record DepositedOnChain(Address participant, Amount total) implements Event {
    }

    /** The chain shows {@code participant} has withdrawn {@code total} in all. */
    public record WithdrawnOnChain(Address participant, Amount total) implements Event {
    }

    /** This node asks the partner to settle cooperatively. */
    public record ProposeSettle(PrivateKey key) implements Event {
    }

    /** The partner asks this node to settle cooperatively, with its signature over the payouts. */
    public record SettleProposed(Signed<CooperativeSettle> proposal, PrivateKey key) implements Event {
    }

    /** The partner's signature over the settlement this node proposed. */
    public record SettleSigned(Signed<CooperativeSettle> signature, PrivateKey key) implements Event {
    }

    /** This node closes the channel on chain, alone (the partner is away or will not co-sign). */
    public record Close() implements Event {
    }

    /** The chain says the channel closed; {@code nonce} and {@code transferred} are the proof the closer submitted. */
    public record ClosedOnChain(Address closer, long nonce, Amount transferred, Instant settleAt) implements Event {
    }

    /** The non-closer (or its watchtower) put the closer's proof on chain. */
    public record ProofUpdatedOnChain(Address closer, long nonce, Amount transferred) implements Event {
    }

    /** The chain's clock, to settle a closed channel once its challenge period is over. */
    public record ChainTime(Instant now) implements Event {
    }

    /** The chain says the channel settled: its money has gone out. */
    public record SettledOnChain() implements Event {
    }

    /** What must happen after the next state is persisted. */
    public sealed interface Effect {
    }

    /** Send the partner this proof. */
    public record SendProof(Signed<BalanceProof> proof) implements Effect {
    }

    /** The partner's proof was accepted: it paid {@code credited} more; acknowledge it with a receipt. */
    public record Credited(Amount credited, Signed<BalanceProof> proof) implements Effect {
    }

    /** Send the partner this node's signed proposal. */
    public record SendSettleProposal(Signed<CooperativeSettle> proposal) implements Effect {
    }

    /** Ask the partner to co-sign this node's withdrawal. */
    public record SendWithdrawRequest(Signed<Withdraw> request) implements Effect {
    }

    /** Send the partner this node's signature over its withdrawal. */
    public record SendWithdrawSignature(Signed<Withdraw> signature) implements Effect {
    }

    /** Put the withdrawal both signed on chain. */
    public record SubmitWithdraw(Withdraw withdraw, Signature signatureA, Signature signatureB) implements Effect {
    }

    /** Send the partner this node's signature over the settlement it proposed. */
    public record SendSettleSignature(Signed<CooperativeSettle> signature) implements Effect {
    }

    /** Put the settlement both signed on chain. */
    public record SubmitCooperativeSettle(CooperativeSettle settlement, Signature signatureA, Signature signatureB)
            implements Effect {
    }

    /** Close on chain, crediting the partner's newest proof (none: nothing received). */
    public record SubmitClose(Optional<Signed<BalanceProof>> received) implements Effect {
    }

    /** The partner closed with an older proof than this node holds: put the newest on chain in time. */
    public record SubmitProofUpdate(Signed<BalanceProof> received) implements Effect {
    }

    /** The challenge period is over: settle on chain. */
    public record SubmitSettle() implements Effect {
    }

    /** The next channel and what must happen once it is persisted. */
    public record Transition(Channel channel, List<Effect> effects) {

        public Transition {
            Objects.requireNonNull(channel, "channel");
            effects = List.copyOf(effects);
        }

        static Transition stay(Channel channel) {
            return new Transition(channel, List.of());
        }
    }

    public Transition transition(Event event) {
        return switch (event) {
            case Pay pay -> pay(pay.amount(), pay.key());
            case ReceiveProof receive -> receive(receive.proof());
            case TotalsRead totals -> Transition.stay(status == ChannelStatus.SETTLED ? this
                    : with(status, own.readAgain(totals.own(), totals.readAt()),
                            partnerSide.readAgain(totals.partnerSide(), totals.readAt()), settleAt, sent, received,
                            onChain));
            case RequestWithdraw request -> requestWithdraw(request);
            case WithdrawRequested requested -> withdrawRequested(requested);
            case WithdrawSigned signed -> withdrawSigned(signed.signature(), signed.key());
            case WithdrawRefused refused -> Transition.stay(own.pending().isEmpty() ? this
                    : with(status, new ChannelSide(own.deposit(), own.withdrawn()), partnerSide, settleAt, sent,
                            received, onChain));
            case WithdrawnOnChain withdrawn -> Transition.stay(withdrawnOnChain(withdrawn));
            case DepositedOnChain deposited -> Transition.stay(depositedOnChain(deposited));
            case ProposeSettle propose -> proposeSettle(propose.key());
            case SettleProposed proposed -> settleProposed(proposed.proposal(), proposed.key());
            case SettleSigned signed -> settleSigned(signed.signature(), signed.key());
            case Close close -> close();
            case ClosedOnChain closed -> closedOnChain(closed);
            case ProofUpdatedOnChain updated -> proofUpdatedOnChain(updated);
            case ChainTime time -> chainTime(time.now());
            case SettledOnChain settled -> Transition.stay(
                    with(ChannelStatus.SETTLED, own, partnerSide, settleAt, sent, received, onChain));
        };
    }

    private Transition pay(Amount amount, PrivateKey key) {
        requireOpen("pay in it");
        if (amount.isZero()) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, "a payment in channel " + channelId
                    + " must be more than 0");
        }
        if (amount.isGreaterThan(spendable())) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "cannot pay " + amount + " in channel "
                    + channelId + ": only " + spendable() + " is spendable; deposit more or pay less");
        }
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(channelId, sentNonce() + 1, sentTotal().plus(amount)),
                domain, key);
        return new Transition(with(status, own, partnerSide, settleAt, Optional.of(proof), received, onChain),
                List.of(new SendProof(proof)));
    }

    /**
     * Accepts the partner's proof if it supersedes the one held. A replayed, duplicated or reordered proof
     * (nonce not above the newest), one signed by anyone else or for another channel, one whose total shrinks,
     * or one the partner's side cannot cover is refused with a stable code, and nothing changes.
     */
    private Transition receive(Signed<BalanceProof> proof) {
        BalanceProof p = proof.message();
        if (p.channelId() != channelId) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                    "proof is for channel " + p.channelId() + ", not " + channelId);
        }
        requireOpen("take payments in it");
        if (!proof.isSignedBy(partner, domain)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER,
                    "proof for channel " + channelId + " is not signed by the partner " + partner);
        }
        if (p.nonce() <= receivedNonce()) {
            throw new TurnpikeException(ErrorCode.STALE_PROOF, "proof nonce " + p.nonce()
                    + " does not supersede the newest held, " + receivedNonce() + "; nothing changed");
        }
        Amount previous = receivedTotal();
        if (p.transferred().isLessThan(previous)) {
            throw new TurnpikeException(ErrorCode.TRANSFER_DECREASED, "proof pays " + p.transferred()
                    + " in total, less than the " + previous + " already proven");
        }
        Amount credited = p.transferred().minus(previous);
        if (credited.isGreaterThan(partnerSpendable())) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_CAPACITY, "proof pays " + credited + " more, but the "
                    + "partner's side of channel " + channelId + " holds only " + partnerSpendable());
        }
        return new Transition(with(status, own, partnerSide, settleAt, sent, Optional.of(proof), onChain),
                List.of(new Credited(credited, proof)));
    }

    // ---------------------------------------------------------------- cooperative withdrawal

    /**
     * Signs a withdrawal of {@code amount} more and counts it as withdrawn from now on, before the request leaves: the
     * partner may co-sign it and the chain take it at any moment until its expiry. One at a time per side.
     */
    private Transition requestWithdraw(RequestWithdraw request) {
        requireOpen("withdraw from it");
        if (request.amount().isZero()) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, "a withdrawal from channel " + channelId
                    + " must be more than 0");
        }
        requireNothingPending(own, "this node");
        if (request.amount().isGreaterThan(spendable())) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "cannot withdraw " + request.amount()
                    + " from channel " + channelId + ": only " + spendable() + " is spendable");
        }
        Withdraw withdraw = new Withdraw(channelId, self, own.withdrawn().plus(request.amount()), request.expiry());
        ChannelSide next = own.withPending(new ChannelSide.PendingWithdraw(withdraw.totalWithdraw(), withdraw.expiry()));
        return new Transition(with(status, next, partnerSide, settleAt, sent, received, onChain),
                List.of(new SendWithdrawRequest(Signed.sign(withdraw, domain, request.key()))));
    }

    /**
     * Co-signs the partner's withdrawal if, after it, the partner's side still covers everything it has paid this node,
     * and its expiry is near ({@link #MAX_WITHDRAW_WINDOW}); from now until the chain shows it or is past its expiry,
     * the partner's further proofs are judged as if it were withdrawn. Asked again for the same, signs it again.
     */
    private Transition withdrawRequested(WithdrawRequested requested) {
        Withdraw w = requested.request().message();
        if (w.channelId() != channelId) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                    "the withdrawal is for channel " + w.channelId() + ", not " + channelId);
        }
        requireOpen("withdraw from it");
        if (!w.participant().equals(partner) || !requested.request().isSignedBy(partner, domain)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "the withdrawal from channel " + channelId
                    + " is not the partner's own, signed by " + partner);
        }
        long now = requested.now().getEpochSecond();
        if (w.expiry() <= now || w.expiry() > now + MAX_WITHDRAW_WINDOW.toSeconds()) {
            throw new TurnpikeException(ErrorCode.WITHDRAW_EXPIRY, "the withdrawal from channel " + channelId
                    + " expires at " + w.expiry() + "; it must be after now (" + now + ") and at most "
                    + MAX_WITHDRAW_WINDOW.toSeconds() + " s ahead");
        }
        ChannelSide.PendingWithdraw asked = new ChannelSide.PendingWithdraw(w.totalWithdraw(), w.expiry());
        if (!partnerSide.pending().map(asked::equals).orElse(true)) {
            requireNothingPending(partnerSide, "the partner");
        }
        if (!w.totalWithdraw().isGreaterThan(partnerSide.withdrawn())) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, "the withdrawal total " + w.totalWithdraw()
                    + " does not exceed the " + partnerSide.withdrawn() + " already withdrawn from channel " + channelId);
        }
        Amount remains = partnerSide.deposit().plus(sentTotal());
        Amount owes = w.totalWithdraw().plus(receivedTotal());
        if (owes.isGreaterThan(remains)) {
            // Not insufficient_capacity, which answers only a proof: the asker must tell this refusal from those.
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "the partner cannot withdraw "
                    + w.totalWithdraw() + " in total from channel " + channelId + ": its side holds "
                    + remains.saturatingMinus(receivedTotal()) + " after what it paid");
        }
        return new Transition(with(status, own, partnerSide.withPending(asked), settleAt, sent, received, onChain),
                List.of(new SendWithdrawSignature(Signed.sign(w, domain, requested.key()))));
    }

    /** The partner co-signed this node's pending withdrawal: both signatures go on chain. */
    private Transition withdrawSigned(Signed<Withdraw> theirs, PrivateKey key) {
        Withdraw w = theirs.message();
        boolean asked = w.channelId() == channelId && w.participant().equals(self) && own.pending()
                .map(p -> p.equals(new ChannelSide.PendingWithdraw(w.totalWithdraw(), w.expiry()))).orElse(false);
        if (!asked) {
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, "this node asked for no withdrawal of "
                    + w.totalWithdraw() + " until " + w.expiry() + " from channel " + channelId);
        }
        if (!theirs.isSignedBy(partner, domain)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER,
                    "the withdrawal from channel " + channelId + " is not signed by the partner " + partner);
        }
        Signed<Withdraw> ours = Signed.sign(w, domain, key);
        boolean weAreA = role == Role.A;
        return new Transition(this, List.of(new SubmitWithdraw(w, (weAreA ? ours : theirs).signature(),
                (weAreA ? theirs : ours).signature())));
    }

    private Channel withdrawnOnChain(WithdrawnOnChain withdrawn) {
        if (status == ChannelStatus.SETTLED) {
            return this;
        }
        boolean ours = withdrawn.participant().equals(self);
        ChannelSide side = ours ? own : partnerSide;
        if (!withdrawn.total().isGreaterThan(side.withdrawn())) {
            return this; // seen again, or older than a total already read
        }
        ChannelSide next = side.readAgain(new ChannelSide(side.deposit(), withdrawn.total()), Optional.empty());
        return ours ? with(status, next, partnerSide, settleAt, sent, received, onChain)
                : with(status, own, next, settleAt, sent, received, onChain);
    }

    private Channel depositedOnChain(DepositedOnChain deposited) {
        boolean ours = deposited.participant().equals(self);
        ChannelSide side = ours ? own : partnerSide;
        if (status == ChannelStatus.SETTLED || !deposited.total().isGreaterThan(side.deposit())) {
            return this;
        }
        ChannelSide next = new ChannelSide(deposited.total(), side.withdrawn(), side.pending());
        return ours ? with(status, next, partnerSide, settleAt, sent, received, onChain)
                : with(status, own, next, settleAt, sent, received, onChain);
    }

    private void requireNothingPending(ChannelSide side, String whose) {
        side.pending().ifPresent(p -> {
            throw new TurnpikeException(ErrorCode.WITHDRAW_PENDING, whose + " has a withdrawal of " + p.total()
                    + " in total from channel " + channelId + " signed until " + p.expiry()
                    + "; wait until the chain shows it or it expires");
        });
    }

    /** Freezes the channel and signs the payouts of this node's view; asking again re-sends the same proposal. */
    private Transition proposeSettle(PrivateKey key) {
        if (status != ChannelStatus.OPEN && status != ChannelStatus.CLOSING) {
            throw notOpen("settle it cooperatively");
        }
        Signed<CooperativeSettle> proposal = Signed.sign(settlement(), domain, key);
        return new Transition(closing(), List.of(new SendSettleProposal(proposal)));
    }

    /** Co-signs the partner's proposal if this node's view gives exactly the same payouts, and freezes the channel. */
    private Transition settleProposed(Signed<CooperativeSettle> proposal, PrivateKey key) {
        if (status != ChannelStatus.OPEN && status != ChannelStatus.CLOSING) {
            throw notOpen("settle it cooperatively");
        }
        requireSettlement(proposal);
        return new Transition(closing(), List.of(new SendSettleSignature(Signed.sign(settlement(), domain, key))));
    }

    /** The partner co-signed this node's proposal: both signatures go on chain. */
    private Transition settleSigned(Signed<CooperativeSettle> theirs, PrivateKey key) {
        if (status != ChannelStatus.CLOSING) {
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, "channel " + channelId + " is " + status
                    + "; this node proposed no settlement to co-sign");
        }
        requireSettlement(theirs);
        Signed<CooperativeSettle> ours = Signed.sign(settlement(), domain, key);
        boolean weAreA = role == Role.A;
        return new Transition(this, List.of(new SubmitCooperativeSettle(settlement(),
                (weAreA ? ours : theirs).signature(), (weAreA ? theirs : ours).signature())));
    }

    private void requireSettlement(Signed<CooperativeSettle> signed) {
        if (signed.message().channelId() != channelId) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                    "the settlement is for channel " + signed.message().channelId() + ", not " + channelId);
        }
        if (!signed.isSignedBy(partner, domain)) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER,
                    "the settlement of channel " + channelId + " is not signed by the partner " + partner);
        }
        CooperativeSettle expected = settlement();
        if (!expected.equals(signed.message())) {
            throw new TurnpikeException(ErrorCode.SETTLEMENT_MISMATCH, "this node's view of channel " + channelId
                    + " pays A " + expected.payoutA() + " and B " + expected.payoutB() + ", not A "
                    + signed.message().payoutA() + " and B " + signed.message().payoutB()
                    + "; resync the channel and propose again");
        }
    }

    private Transition close() {
        if (status != ChannelStatus.OPEN && status != ChannelStatus.CLOSING) {
            throw notOpen("close it");
        }
        return new Transition(this, List.of(new SubmitClose(received)));
    }

    /**
     * The chain closed the channel: from now on it settles with the closer's submission (the partner's proof of
     * the closer) and, for the other direction, nothing until the non-closer updates. If the partner closed with
     * less than this node holds, the newest proof goes on chain. Seen again (a rewound log), nothing changes.
     */
    private Transition closedOnChain(ClosedOnChain closed) {
        if (status == ChannelStatus.CLOSED || status == ChannelStatus.SETTLED) {
            return Transition.stay(this);
        }
        boolean weClosed = closed.closer().equals(self);
        Transfers transfers = weClosed ? new Transfers(Amount.ZERO, closed.transferred(), self)
                : new Transfers(closed.transferred(), Amount.ZERO, closed.closer());
        Channel next = with(ChannelStatus.CLOSED, own, partnerSide, Optional.of(closed.settleAt()), sent, received,
                Optional.of(transfers));
        return next.needsProofUpdate() ? new Transition(next, List.of(new SubmitProofUpdate(received.orElseThrow())))
                : Transition.stay(next);
    }

    /**
     * Settles once the challenge period is over (the side that did not close {@link #SETTLE_GRACE} later); until
     * then, puts this node's newest received proof on chain while the chain holds less — again after a restart that
     * lost the first attempt, and again if it did not count.
     */
    private Transition chainTime(Instant now) {
        if (status != ChannelStatus.CLOSED || settleAt.isEmpty()) {
            return Transition.stay(this);
        }
        if (now.isAfter(settleAt.get())) {
            boolean closer = onChain.map(t -> t.closer().equals(self)).orElse(true);
            Instant settles = closer ? settleAt.get() : settleAt.get().plus(SETTLE_GRACE);
            return now.isAfter(settles) ? new Transition(this, List.of(new SubmitSettle())) : Transition.stay(this);
        }
        return needsProofUpdate() ? new Transition(this, List.of(new SubmitProofUpdate(received.orElseThrow())))
                : Transition.stay(this);
    }

    /** The chain settles with less than this node was paid: only the non-closer's update can be behind. */
    private boolean needsProofUpdate() {
        return received.isPresent() && onChain.map(t -> receivedTotal().isGreaterThan(t.received())).orElse(false);
    }

    private Transition proofUpdatedOnChain(ProofUpdatedOnChain updated) {
        if (status != ChannelStatus.CLOSED || onChain.isEmpty()) {
            return Transition.stay(this);
        }
        Transfers current = onChain.get();
        Transfers next = updated.closer().equals(self)
                ? new Transfers(updated.transferred(), current.received(), current.closer())
                : new Transfers(current.sent(), updated.transferred(), current.closer());
        return Transition.stay(with(status, own, partnerSide, settleAt, sent, received, Optional.of(next)));
    }

    private Channel closing() {
        return with(ChannelStatus.CLOSING, own, partnerSide, settleAt, sent, received, onChain);
    }

    private void requireOpen(String action) {
        if (status != ChannelStatus.OPEN) {
            throw notOpen(action);
        }
    }

    private TurnpikeException notOpen(String action) {
        return new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + channelId + " is " + status
                + "; it cannot " + action + " any more — open a new channel to keep paying");
    }

    private Channel with(ChannelStatus nextStatus, ChannelSide nextOwn, ChannelSide nextPartner,
                         Optional<Instant> nextSettleAt, Optional<Signed<BalanceProof>> nextSent,
                         Optional<Signed<BalanceProof>> nextReceived, Optional<Transfers> nextOnChain) {
        return new Channel(domain, channelId, self, partner, token, role, nextStatus, challengePeriodSeconds, nextOwn,
                nextPartner, nextSettleAt, nextSent, nextReceived, nextOnChain);
    }
}
