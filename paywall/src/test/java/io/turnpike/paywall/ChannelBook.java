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
 * written to the store before the credit is returned. One lock over all channels is enough for a test.
 */
final class ChannelBook implements ChannelCredits {

    private final ChannelStore store;
    private final Map<ChannelRef, Channel> channels = new HashMap<>();

    ChannelBook(ChannelStore store) {
        this.store = store;
    }

    synchronized void add(Channel channel) {
        store.put(channel);
        channels.put(channel.ref(), channel);
    }

    @Override
    public synchronized Credit credit(ChannelRef ref, Signed<BalanceProof> proof, Address asset, Amount price) {
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
        if (credited.isLessThan(price)) {
            throw new TurnpikeException(ErrorCode.PAYMENT_INSUFFICIENT, "the proof adds " + credited
                    + " to channel " + ref.channelId() + ", less than the price of " + price);
        }
        store.put(next.channel());
        channels.put(ref, next.channel());
        return new Credit(channel.partner(), credited);
    }
}
