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
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.store.Channel;
import io.turnpike.store.ChannelRef;
import io.turnpike.store.ChannelSide;
import io.turnpike.store.ChannelState;
import io.turnpike.store.ChannelStore;
import io.turnpike.store.Role;
import java.util.List;
import java.util.Optional;

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
     * Closes a channel on chain, crediting the partner with its newest proof this node holds, and writes
     * down when it can be settled. {@link #settleDue} settles it once the challenge period is over.
     */
    public synchronized Channel close(Channel channel, boolean force) {
        if (channel.state() != ChannelState.OPEN) {
            throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + channel.ref().channelId() + " is "
                    + channel.state() + " already");
        }
        long nonce = channel.received().map(p -> p.message().nonce()).orElse(0L);
        Amount transferred = channel.received().map(p -> p.message().transferred()).orElse(Amount.ZERO);
        byte[] signature = channel.received().map(p -> p.signature().bytes()).orElse(new byte[0]);
        contract.close(sender, channel.ref().channelId(), nonce, transferred, signature);
        Channel closed = withState(channel, ChannelState.CLOSED,
                Optional.of(java.time.Instant.ofEpochSecond(contract.channel(channel.ref().channelId()).settleAt())));
        store.put(closed);
        return closed;
    }

    /** Settles every closed channel whose challenge period ended before {@code chainTime}. */
    public void settleDue(java.time.Instant chainTime) {
        for (Channel channel : store.list()) {
            if (channel.state() == ChannelState.CLOSED
                    && channel.settleAt().map(chainTime::isAfter).orElse(false)) {
                contract.settle(sender, channel.ref().channelId());
                store.put(withState(channel, ChannelState.SETTLED, channel.settleAt()));
            }
        }
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

    private static Channel withState(Channel c, ChannelState state, Optional<java.time.Instant> settleAt) {
        return new Channel(c.ref(), c.us(), c.partner(), c.token(), c.ourRole(), state, c.challengePeriodSeconds(),
                c.ours(), c.theirs(), settleAt, c.sent(), c.received());
    }

    private static Channel withSides(Channel c, ChannelSide ours, ChannelSide theirs) {
        return new Channel(c.ref(), c.us(), c.partner(), c.token(), c.ourRole(), c.state(), c.challengePeriodSeconds(),
                ours, theirs, c.settleAt(), c.sent(), c.received());
    }
}
