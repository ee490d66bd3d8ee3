package io.turnpike.node.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.provider.Provider;
import io.turnpike.paywall.ChannelCredits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The paywall's {@code turnpike-channel} scheme over this node's own channels: a proof is taken by the channel's
 * owner, on the client's executor, through the channel's transition before the paywall asks the backend, and written
 * down with what the request cost — in the client's one debt with every other service it buys — in one commit before
 * the answer leaves ({@link Provider#creditRequest}, {@link Provider#bookRequest}). A request in progress holds its maximum against the client's
 * credit, so that two at once cannot both spend it.
 */
public final class NodeChannelCredits implements ChannelCredits {

    private final Peers peers;
    private final Provider provider;
    private final Eip712Domain domain;
    /** What each client's requests in progress hold; touched on that client's executor only. */
    private final Map<Address, Amount> held = new ConcurrentHashMap<>();
    /**
     * Whom each channel that paid here is with, which never changes: read from the store once, not on every request.
     * Only channels found are kept, so proofs naming made-up channels add nothing.
     */
    private final Map<Long, Address> partners = new ConcurrentHashMap<>();

    /** @param domain this node's channel contract: a proof for any other is no channel of this node's */
    public NodeChannelCredits(Peers peers, Provider provider, Eip712Domain domain) {
        this.peers = peers;
        this.provider = provider;
        this.domain = domain;
    }

    @Override
    public Credit credit(ChannelRef channel, Signed<BalanceProof> proof, Address asset, Amount maximum) {
        if (channel.chainId() != domain.chainId() || !channel.contract().equals(domain.verifyingContract())) {
            throw unknown(channel);
        }
        Peer client = owner(channel);
        return client.await(() -> {
            Channel owned = client.channels().get(channel.channelId()).orElseThrow(() -> unknown(channel));
            if (!owned.token().equals(asset)) {
                throw new TurnpikeException(ErrorCode.PAYMENT_MISMATCH, "channel " + channel.channelId() + " pays in "
                        + owned.token() + ", not in " + asset + " as this path asks");
            }
            Amount adds = provider.creditRequest(client, channel.channelId(), proof,
                    maximum.plus(held(client.address())));
            held.merge(client.address(), maximum, Amount::plus);
            return new Credit(channel, client.address(), adds, maximum);
        });
    }

    @Override
    public Amount book(Credit credit, Amount used) {
        Peer client = owner(credit.channel());
        return client.await(() -> {
            try {
                return provider.bookRequest(client, credit.channel().channelId(), PaywallService.NAME, used)
                        .saturatingMinus(held(client.address()).minus(credit.held()));
            } finally {
                held.computeIfPresent(client.address(), (payer, holds) -> holds.equals(credit.held()) ? null
                        : holds.minus(credit.held()));
            }
        });
    }

    /** Whether {@code client} has a request in progress: credited, not yet booked. */
    boolean holds(Address client) {
        return held.containsKey(client);
    }

    private Amount held(Address client) {
        return held.getOrDefault(client, Amount.ZERO);
    }

    private Peer owner(ChannelRef channel) {
        Address partner = partners.get(channel.channelId());
        if (partner == null) {
            partner = peers.owning(channel.channelId()).orElseThrow(() -> unknown(channel)).address();
            partners.put(channel.channelId(), partner);
        }
        return peers.of(partner);
    }

    private static TurnpikeException unknown(ChannelRef channel) {
        return new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "no channel " + channel.channelId() + " of contract "
                + channel.contract() + " on chain " + channel.chainId() + " pays this node; open one to it first");
    }
}
