package io.turnpike.node.channel;

import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ChannelsContract.ChannelInfo;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.TransactionSender;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link ChannelChain} on the TurnpikeChannels contract, through the node's transaction manager. */
public final class ContractChannelChain implements ChannelChain {

    private final ChannelsContract contract;
    private final TransactionSender sender;
    private final Asset asset;
    private final long challengePeriod;

    public ContractChannelChain(ChannelsContract contract, TransactionSender sender, Asset asset, long challengePeriod) {
        this.contract = contract;
        this.sender = sender;
        this.asset = asset;
        this.challengePeriod = challengePeriod;
    }

    private Address self() {
        return sender.address();
    }

    @Override
    public Channel open(Address provider, Amount deposit) {
        long unsettled = contract.unsettledChannel(self(), provider, asset.token());
        if (unsettled != 0) {
            ChannelInfo info = contract.channel(unsettled);
            if (info.status() != ChannelsContract.Status.OPEN || !info.participantA().equals(self())) {
                throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + unsettled + " with " + provider
                        + " is " + info.status() + " on chain; a new channel can open once it has settled");
            }
            // Opened before a crash kept it from being written down: adopt it.
            return Channel.opened(contract.domain(), unsettled, self(), provider, asset.token(), Role.A,
                    info.challengePeriod(), side(unsettled, self()), side(unsettled, provider));
        }
        if (!asset.isEther()) {
            Erc20.at(sender.chain(), asset.token()).approve(sender, contract.address(), deposit);
        }
        long channelId = contract.openWithDeposit(sender, provider, asset.token(), challengePeriod, deposit).channelId();
        return Channel.opened(contract.domain(), channelId, self(), provider, asset.token(), Role.A, challengePeriod,
                new ChannelSide(deposit, Amount.ZERO), ChannelSide.EMPTY);
    }

    @Override
    public Channel incoming(long channelId, Address client, Optional<Channel> known) {
        ChannelInfo info = contract.channel(channelId);
        boolean ours = info.participantA().equals(client) && info.participantB().equals(self());
        if (!ours || info.status() != ChannelsContract.Status.OPEN || !info.token().equals(asset.token())) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "channel " + channelId
                    + " is not an open " + asset.symbol() + " channel from " + client + " to this node on chain");
        }
        Channel base = known.orElseGet(() -> Channel.opened(contract.domain(), channelId, self(), client, asset.token(),
                Role.B, info.challengePeriod(), ChannelSide.EMPTY, ChannelSide.EMPTY));
        return base.transition(new Channel.TotalsRead(side(channelId, self()), side(channelId, client))).channel();
    }

    @Override
    public Channel restore(Signed<BalanceProof> received, Optional<Channel> known) {
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
        Channel base = known.orElseGet(() -> Channel.opened(contract.domain(), channelId, self(), partner,
                asset.token(), weAreA ? Role.A : Role.B, info.challengePeriod(), ChannelSide.EMPTY, ChannelSide.EMPTY));
        boolean newer = received.message().nonce() > base.receivedNonce();
        Channel restored = new Channel(base.domain(), channelId, self(), partner, base.token(), base.role(),
                base.status(), base.challengePeriodSeconds(), side(channelId, self()), side(channelId, partner),
                base.settleAt(), base.sent(), newer ? Optional.of(received) : base.received(), base.onChain());
        if (info.status() == ChannelsContract.Status.CLOSED && restored.status() == ChannelStatus.OPEN) {
            ChannelsContract.ParticipantInfo closer = contract.participant(channelId, info.closer());
            restored = restored.transition(new Channel.ClosedOnChain(info.closer(), closer.nonce(),
                    closer.transferred(), Instant.ofEpochSecond(info.settleAt()))).channel();
        }
        return restored;
    }

    @Override
    public ChannelSide topUp(Channel channel, Amount more) {
        Amount total = channel.own().deposit().plus(more);
        if (!asset.isEther()) {
            Erc20.at(sender.chain(), asset.token()).approve(sender, contract.address(), more);
        }
        contract.setTotalDeposit(sender, channel.channelId(), self(), total, asset.isEther() ? more : Amount.ZERO);
        return side(channel.channelId(), self());
    }

    @Override
    public List<Channel.Event> submit(Channel channel, Channel.Effect effect) {
        long id = channel.channelId();
        TxReceipt receipt = switch (effect) {
            case Channel.SubmitCooperativeSettle settle -> contract.cooperativeSettle(sender, id,
                    settle.settlement().payoutA(), settle.settlement().payoutB(), settle.signatureA().bytes(),
                    settle.signatureB().bytes());
            case Channel.SubmitClose close -> contract.close(sender, id,
                    close.received().map(p -> p.message().nonce()).orElse(0L),
                    close.received().map(p -> p.message().transferred()).orElse(Amount.ZERO),
                    close.received().map(p -> p.signature().bytes()).orElse(new byte[0]));
            case Channel.SubmitProofUpdate update -> contract.updateNonClosingProof(sender, id,
                    update.received().message().nonce(), update.received().message().transferred(),
                    update.received().signature().bytes(), Amount.ZERO, new byte[0]);
            case Channel.SubmitSettle settle -> contract.settle(sender, id);
            case Channel.SubmitWithdraw withdraw -> contract.setTotalWithdraw(sender, id,
                    withdraw.withdraw().participant(), withdraw.withdraw().totalWithdraw(), withdraw.withdraw().expiry(),
                    withdraw.signatureA().bytes(), withdraw.signatureB().bytes());
            default -> throw new IllegalArgumentException("not a chain effect: " + effect);
        };
        return contract.events(receipt).stream().filter(e -> e.channelId() == id)
                .flatMap(e -> ChainEvents.toChannelEvent(e).stream()).toList();
    }

    @Override
    public Channel.TotalsRead totals(Channel channel) {
        // The block's time first: totals read after it show every withdrawal a block up to that time took.
        Instant blockTime = Instant.ofEpochSecond(sender.chain().latestBlock().getTimestamp().longValueExact());
        return new Channel.TotalsRead(side(channel.channelId(), self()), side(channel.channelId(), channel.partner()),
                Optional.of(blockTime));
    }

    private ChannelSide side(long channelId, Address participant) {
        ChannelsContract.ParticipantInfo p = contract.participant(channelId, participant);
        return new ChannelSide(p.deposit(), p.withdrawn());
    }

    /** The contract's events as events of the channel they concern. */
    public static final class ChainEvents {

        private ChainEvents() {
        }

        public static Optional<Channel.Event> toChannelEvent(ChannelEvent event) {
            return switch (event) {
                case ChannelEvent.ChannelClosed closed -> Optional.of(new Channel.ClosedOnChain(closed.closer(),
                        closed.nonce(), closed.transferred(), Instant.ofEpochSecond(closed.settleAt())));
                case ChannelEvent.NonClosingProofUpdated updated -> Optional.of(new Channel.ProofUpdatedOnChain(
                        updated.closer(), updated.nonce(), updated.transferred()));
                case ChannelEvent.ChannelSettled settled -> Optional.of(new Channel.SettledOnChain());
                case ChannelEvent.DepositSet deposited -> Optional.of(new Channel.DepositedOnChain(
                        deposited.participant(), deposited.totalDeposit()));
                case ChannelEvent.WithdrawSet withdrawn -> Optional.of(new Channel.WithdrawnOnChain(
                        withdrawn.participant(), withdrawn.totalWithdraw()));
                default -> Optional.empty();
            };
        }
    }
}
