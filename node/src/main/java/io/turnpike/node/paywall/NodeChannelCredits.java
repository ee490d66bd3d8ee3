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

/**
 * The paywall's {@code turnpike-channel} scheme over this node's own channels: a proof is taken by the channel's
 * owner, on the client's executor, through the channel's transition — written down before the paywall asks the
 * backend — and the request lands in the client's one debt with every other service it buys ({@link
 * Provider#creditRequest}).
 */
public final class NodeChannelCredits implements ChannelCredits {

    private final Peers peers;
    private final Provider provider;
    private final Eip712Domain domain;

    /** @param domain this node's channel contract: a proof for any other is no channel of this node's */
    public NodeChannelCredits(Peers peers, Provider provider, Eip712Domain domain) {
        this.peers = peers;
        this.provider = provider;
        this.domain = domain;
    }

    @Override
    public Credit credit(ChannelRef channel, Signed<BalanceProof> proof, Address asset, Amount price) {
        if (channel.chainId() != domain.chainId() || !channel.contract().equals(domain.verifyingContract())) {
            throw unknown(channel);
        }
        Peer client = peers.owning(channel.channelId()).orElseThrow(() -> unknown(channel));
        return client.await(() -> {
            Channel held = client.channels().get(channel.channelId()).orElseThrow(() -> unknown(channel));
            if (!held.token().equals(asset)) {
                throw new TurnpikeException(ErrorCode.PAYMENT_MISMATCH, "channel " + channel.channelId() + " pays in "
                        + held.token() + ", not in " + asset + " as this path asks");
            }
            return new Credit(client.address(), provider.creditRequest(client, channel.channelId(), proof, PaywallService.NAME,
                    price));
        });
    }

    private static TurnpikeException unknown(ChannelRef channel) {
        return new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "no channel " + channel.channelId() + " of contract "
                + channel.contract() + " on chain " + channel.chainId() + " pays this node; open one to it first");
    }
}
