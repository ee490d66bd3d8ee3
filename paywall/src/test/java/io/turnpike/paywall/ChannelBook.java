package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.Signed;
import io.turnpike.store.ChannelStore;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link ChannelCredits} as a node keeps them: its channels as core's {@link Channel} moves them, each accepted proof
 * written to the store before the credit is returned, each payer's paid, used and held amounts in memory. One lock
 * over all channels is enough for a test.
 */
final class ChannelBook implements ChannelCredits {

    private final ChannelStore store;
    private final Map<ChannelRef, Channel> channels = new HashMap<>();
    private final Map<Address, Amount> paid = new HashMap<>();
    private final Map<Address, Amount> used = new HashMap<>();
    private final Map<Address, Amount> held = new HashMap<>();

    ChannelBook(ChannelStore store) {
        this.store = store;
    }

    synchronized void add(Channel channel) {
        store.put(channel);
        channels.put(channel.ref(), channel);
    }

    @Override
    public synchronized Credit credit(ChannelRef ref, Signed<BalanceProof> proof, Address asset, Amount maximum) {
        Channel channel = channels.get(ref);
        if (channel == null) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "no channel " + ref.channelId() + " of contract "
                    + ref.contract() + " pays this provider");
        }
        if (!channel.token().equals(asset)) {
            throw new TurnpikeException(ErrorCode.PAYMENT_MISMATCH, "channel " + ref.channelId() + " pays in "
                    + channel.token() + ", not " + asset);
        }
        Channel.Transition next = channel.transition(new Channel.ReceiveProof(proof));
        Amount credited = next.effects().stream().filter(Channel.Credited.class::isInstance)
                .map(e -> ((Channel.Credited) e).credited()).findFirst().orElseThrow();
        Amount available = credit(channel.partner());
        if (credited.plus(available).isLessThan(maximum)) {
            throw new TurnpikeException(ErrorCode.PAYMENT_INSUFFICIENT, "the proof adds " + credited
                    + " to channel " + ref.channelId() + " and the credit is " + available + ", less than " + maximum);
        }
        store.put(next.channel());
        channels.put(ref, next.channel());
        paid.merge(channel.partner(), credited, Amount::plus);
        held.merge(channel.partner(), maximum, Amount::plus);
        return new Credit(ref, channel.partner(), credited, maximum);
    }

    @Override
    public synchronized Amount book(Credit credit, Amount cost) {
        held.merge(credit.payer(), credit.held(), Amount::minus);
        used.merge(credit.payer(), cost, Amount::plus);
        return credit(credit.payer());
    }

    /** What {@code payer} used of what it paid, booked. */
    synchronized Amount used(Address payer) {
        return used.getOrDefault(payer, Amount.ZERO);
    }

    private Amount credit(Address payer) {
        return paid.getOrDefault(payer, Amount.ZERO).saturatingMinus(used.getOrDefault(payer, Amount.ZERO)
                .plus(held.getOrDefault(payer, Amount.ZERO)));
    }
}
