package io.turnpike.node.channel;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ChannelsContract.ChannelInfo;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.TransactionSender;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.ChannelTotals;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Payouts;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.core.channel.Signed;
import io.turnpike.store.Channel;
import io.turnpike.store.ChannelRef;
import io.turnpike.store.ChannelSide;
import io.turnpike.store.ChannelState;
import io.turnpike.store.ChannelStore;
import io.turnpike.store.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's channels: opens the channel it pays a provider through, verifies on chain a channel a client
 * opened to it, and converts between what the store keeps and the off-chain {@link PaymentChannel}. Every
 * channel it learns of is written down before it is used.
 */
public final class ChannelManager {

    private final ChannelsContract contract;
    private final TransactionSender sender;
    private final ChannelStore store;
    private final Asset asset;
    private final long challengePeriod;
    /** Channels being settled cooperatively: no payment is made or taken in them any more. */
    private final Set<Long> settling = ConcurrentHashMap.newKeySet();

    public ChannelManager(ChannelsContract contract, TransactionSender sender, ChannelStore store, Asset asset,
                          long challengePeriod) {
        this.contract = contract;
        this.sender = sender;
        this.store = store;
        this.asset = asset;
        this.challengePeriod = challengePeriod;
    }

    public Address self() {
        return sender.address();
    }

    public Asset asset() {
        return asset;
    }

    public ChannelsContract contract() {
        return contract;
    }

    /**
     * The open channel this node pays {@code provider} through: the stored one, one found on chain that a
     * crash kept from being written down, or a new one opened with {@code deposit}. Blocks until the
     * opening counts on chain.
     */
    public synchronized Channel outgoing(Address provider, Amount deposit) {
        Optional<Channel> known = openWith(provider, Role.A);
        if (known.isPresent()) {
            return known.get();
        }
        long onChain = contract.unsettledChannel(self(), provider, asset.token());
        if (onChain != 0) {
            return adopt(onChain, provider);
        }
        if (!asset.isEther()) {
            Erc20.at(sender.chain(), asset.token()).approve(sender, contract.address(), deposit);
        }
        long channelId = contract.openWithDeposit(sender, provider, asset.token(), challengePeriod, deposit).channelId();
        Channel opened = Channel.opened(ref(channelId), self(), provider, asset.token(), Role.A, challengePeriod);
        Channel funded = withSides(opened, new ChannelSide(deposit, Amount.ZERO), ChannelSide.EMPTY);
        store.put(funded);
        return funded;
    }

    /**
     * A channel {@code client} says it opened to this node: checked on chain (participants, asset, open) and
     * written down, or refreshed from the chain if known. Refused with {@code unknown_channel} otherwise.
     */
    public synchronized Channel incoming(long channelId, Address client) {
        Optional<Channel> known = store.get(ref(channelId));
        if (known.isPresent() && !known.get().partner().equals(client)) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                    "channel " + channelId + " belongs to another peer");
        }
        ChannelInfo info = contract.channel(channelId);
        boolean ours = info.participantA().equals(client) && info.participantB().equals(self());
        if (!ours || info.status() != ChannelsContract.Status.OPEN || !info.token().equals(asset.token())) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "channel " + channelId
                    + " is not an open " + asset.symbol() + " channel from " + client + " to this node on chain");
        }
        Channel base = known.orElseGet(() -> Channel.opened(ref(channelId), self(), client, asset.token(), Role.B,
                info.challengePeriod()));
        Channel refreshed = withSides(base, side(channelId, self()), side(channelId, client));
        store.put(refreshed);
        return refreshed;
    }

    /**
     * A channel rebuilt around a copy of the newest proof its partner signed for this node (a watchtower's, after the
     * database was lost). The chain must show this node in it, in this node's asset, open or closed but not settled,
     * and the partner must have signed the proof; it is written down with the chain's deposits and state. A proof no
     * newer than the one stored changes nothing. Refused with {@code unknown_channel} or {@code wrong_signer}.
     */
    public synchronized Channel restore(Signed<BalanceProof> received) {
        long channelId = received.message().channelId();
        ChannelInfo info = contract.channel(channelId);
        boolean weAreA = info.participantA().equals(self());
        boolean live = info.status() == ChannelsContract.Status.OPEN || info.status() == ChannelsContract.Status.CLOSED;
        if (!(weAreA || info.participantB().equals(self())) || !live || !info.token().equals(asset.token())) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "channel " + channelId + " is not an unsettled "
                    + asset.symbol() + " channel of this node on chain");
        }
        Address partner = weAreA ? info.participantB() : info.participantA();
        if (!received.isSignedBy(partner, contract.domain())) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "the proof for channel " + channelId
                    + " is not signed by the partner " + partner);
        }
        Channel base = store.get(ref(channelId)).orElseGet(() -> Channel.opened(ref(channelId), self(), partner,
                asset.token(), weAreA ? Role.A : Role.B, info.challengePeriod()));
        if (info.status() == ChannelsContract.Status.CLOSED) {
            base = withState(base, ChannelState.CLOSED, Optional.of(Instant.ofEpochSecond(info.settleAt())));
        }
        store.put(new Channel(base.ref(), base.us(), partner, base.token(), base.ourRole(), base.state(),
                base.challengePeriodSeconds(), side(channelId, self()), side(channelId, partner), base.settleAt(),
                base.sent(), Optional.of(received)));
        return store.get(ref(channelId)).orElseThrow();
    }

    /**
     * Closes a channel on chain, crediting the partner with its newest proof this node holds, and writes
     * down when it can be settled. {@link #settleDue} settles it once the challenge period is over.
     */
    public synchronized Channel close(Channel channel) {
        if (channel.state() != ChannelState.OPEN) {
            throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + channel.ref().channelId() + " is "
                    + channel.state() + " already");
        }
        long nonce = channel.received().map(p -> p.message().nonce()).orElse(0L);
        Amount transferred = channel.received().map(p -> p.message().transferred()).orElse(Amount.ZERO);
        byte[] signature = channel.received().map(p -> p.signature().bytes()).orElse(new byte[0]);
        contract.close(sender, channel.ref().channelId(), nonce, transferred, signature);
        Channel closed = withState(channel, ChannelState.CLOSED,
                Optional.of(Instant.ofEpochSecond(contract.channel(channel.ref().channelId()).settleAt())));
        store.put(closed);
        return closed;
    }

    /** Settles every closed channel whose challenge period ended before {@code chainTime}. */
    public void settleDue(Instant chainTime) {
        for (Channel channel : store.list()) {
            if (channel.state() == ChannelState.CLOSED
                    && channel.settleAt().map(chainTime::isAfter).orElse(false)) {
                contract.settle(sender, channel.ref().channelId());
                store.put(withState(channel, ChannelState.SETTLED, channel.settleAt()));
            }
        }
    }

    /** The payouts this node's view of {@code channel} gives, as the contract orders them (A opened it). */
    public CooperativeSettle settlement(Channel channel) {
        PaymentChannel view = payments(channel);
        boolean weAreA = channel.ourRole() == Role.A;
        ChannelTotals totals = weAreA
                ? new ChannelTotals(view.ownDeposit(), view.ownWithdrawn(), view.sentTotal(),
                view.partnerDeposit(), view.partnerWithdrawn(), view.receivedTotal())
                : new ChannelTotals(view.partnerDeposit(), view.partnerWithdrawn(),
                view.receivedTotal(), view.ownDeposit(), view.ownWithdrawn(), view.sentTotal());
        Payouts payouts = totals.payouts();
        return new CooperativeSettle(channel.ref().channelId(), payouts.a(), payouts.b());
    }

    void beginSettling(long channelId) {
        settling.add(channelId);
    }

    void endSettling(long channelId) {
        settling.remove(channelId);
    }

    /** Whether the channel is being settled, so no payment may move in it. */
    public boolean isSettling(long channelId) {
        return settling.contains(channelId);
    }

    /** Puts a settlement both signed on chain and writes the channel down as settled. */
    synchronized Channel settleCooperatively(Channel channel, Signed<CooperativeSettle> ours,
                                             Signed<CooperativeSettle> theirs) {
        boolean weAreA = channel.ourRole() == Role.A;
        byte[] signatureA = (weAreA ? ours : theirs).signature().bytes();
        byte[] signatureB = (weAreA ? theirs : ours).signature().bytes();
        contract.cooperativeSettle(sender, channel.ref().channelId(), ours.message().payoutA(), ours.message().payoutB(),
                signatureA, signatureB);
        Channel settled = withState(channel, ChannelState.SETTLED, Optional.empty());
        store.put(settled);
        settling.remove(channel.ref().channelId());
        return settled;
    }

    /**
     * The partner closed the channel on chain: write it down, and if the partner's close left out newer
     * proofs this node holds, put the newest on chain before the challenge period ends.
     */
    public synchronized void partnerClosed(long channelId, Address closer, Instant settleAt) {
        Optional<Channel> known = store.get(ref(channelId));
        if (known.isEmpty() || !known.get().partner().equals(closer) || known.get().state() == ChannelState.SETTLED) {
            return;
        }
        Channel channel = known.get();
        if (channel.state() == ChannelState.OPEN) {
            channel = withState(channel, ChannelState.CLOSED, Optional.of(settleAt));
            store.put(channel);
        }
        long recorded = contract.participant(channelId, closer).nonce();
        Optional<Signed<BalanceProof>> newest = channel.received();
        if (newest.isPresent() && newest.get().message().nonce() > recorded) {
            contract.updateNonClosingProof(sender, channelId, newest.get().message().nonce(),
                    newest.get().message().transferred(), newest.get().signature().bytes(), Amount.ZERO, new byte[0]);
        }
    }

    /** The channel was settled on chain (by either side, or anyone). */
    public synchronized void settledOnChain(long channelId) {
        store.get(ref(channelId)).filter(c -> c.state() != ChannelState.SETTLED)
                .ifPresent(c -> store.put(withState(c, ChannelState.SETTLED, c.settleAt())));
        settling.remove(channelId);
    }

    /** Deposits {@code more} into a channel this node pays through; blocks until it counts on chain. */
    public synchronized Channel topUp(Channel channel, Amount more) {
        Amount total = channel.ours().deposit().plus(more);
        if (!asset.isEther()) {
            Erc20.at(sender.chain(), asset.token()).approve(sender, contract.address(), more);
        }
        contract.setTotalDeposit(sender, channel.ref().channelId(), self(), total, asset.isEther() ? more : Amount.ZERO);
        Channel current = store.get(channel.ref()).orElse(channel);
        Channel funded = withSides(current, new ChannelSide(total, current.ours().withdrawn()), current.theirs());
        store.put(funded);
        return funded;
    }

    /** The stored channel, if this node knows it. */
    public Optional<Channel> find(long channelId) {
        return store.get(ref(channelId));
    }

    public List<Channel> all() {
        return store.list();
    }

    /** The off-chain view of a stored channel, to pay or receive through. */
    public PaymentChannel payments(Channel channel) {
        ChannelStatus status = switch (channel.state()) {
            case OPEN -> ChannelStatus.OPEN;
            case CLOSED -> ChannelStatus.CLOSED;
            case SETTLED -> ChannelStatus.SETTLED;
        };
        return new PaymentChannel(channel.ref().channelId(), contract.domain(), channel.us(), channel.partner(), status,
                channel.ours().deposit(), channel.ours().withdrawn(), channel.theirs().deposit(),
                channel.theirs().withdrawn(), channel.sent(), channel.received());
    }

    public ChannelRef ref(long channelId) {
        return new ChannelRef(sender.chain().chainId(), contract.address(), channelId);
    }

    private Optional<Channel> openWith(Address partner, Role role) {
        return store.listByPartner(partner).stream()
                .filter(c -> c.state() == ChannelState.OPEN && c.ourRole() == role && c.token().equals(asset.token()))
                .findFirst();
    }

    /** A channel this node opened on chain but did not get to write down (a crash in between). */
    private Channel adopt(long channelId, Address provider) {
        ChannelInfo info = contract.channel(channelId);
        Channel opened = Channel.opened(ref(channelId), self(), provider, asset.token(), Role.A, info.challengePeriod());
        Channel adopted = withSides(opened, side(channelId, self()), side(channelId, provider));
        store.put(adopted);
        return adopted;
    }

    private ChannelSide side(long channelId, Address participant) {
        ChannelsContract.ParticipantInfo p = contract.participant(channelId, participant);
        return new ChannelSide(p.deposit(), p.withdrawn());
    }

    private static Channel withState(Channel c, ChannelState state, Optional<Instant> settleAt) {
        return new Channel(c.ref(), c.us(), c.partner(), c.token(), c.ourRole(), state, c.challengePeriodSeconds(),
                c.ours(), c.theirs(), settleAt, c.sent(), c.received());
    }

    private static Channel withSides(Channel c, ChannelSide ours, ChannelSide theirs) {
        return new Channel(c.ref(), c.us(), c.partner(), c.token(), c.ourRole(), c.state(), c.challengePeriodSeconds(),
                ours, theirs, c.settleAt(), c.sent(), c.received());
    }
}
