package io.turnpike.node.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.Signed;
import java.util.List;
import java.util.Optional;

/**
 * What the node asks the chain about its channels, and the transactions it sends for them. Every call may block on
 * the chain, so none runs on a peer's executor or I/O thread; the channel it returns or the events it reports are
 * applied on the peer's executor afterwards. Implemented on the contract by {@link ContractChannelChain}.
 */
public interface ChannelChain {

    /**
     * The open channel this node pays {@code provider} through: one found on chain that a crash kept from being
     * written down, or a new one opened with {@code deposit}. Blocks until the opening counts on chain.
     *
     * @throws io.turnpike.core.TurnpikeException {@code channel_not_open} while an earlier channel with the
     *     provider is closed but not yet settled: the contract allows one unsettled channel per pair
     */
    Channel open(Address provider, Amount deposit);

    /**
     * A channel {@code client} says it opened to this node, as the chain has it (participants, asset, open), with the
     * proofs of {@code known} if this node has it already.
     *
     * @throws io.turnpike.core.TurnpikeException {@code unknown_channel} if the chain does not show it so
     */
    Channel incoming(long channelId, Address client, Optional<Channel> known);

    /**
     * A channel rebuilt around the newest proof its partner signed for this node (a watchtower's copy, after the
     * database was lost): the chain must show this node in it, unsettled, and the partner must have signed the proof.
     */
    Channel restore(Signed<BalanceProof> received, Optional<Channel> known);

    /** Deposits {@code more} into a channel this node pays through; returns this node's side as the chain has it. */
    ChannelSide topUp(Channel channel, Amount more);

    /**
     * The channel's deposit and withdrawal totals as the chain has them now, with the time of a block they include
     * everything up to: a withdrawal that block is past the expiry of can no longer land.
     */
    Channel.TotalsRead totals(Channel channel);

    /**
     * Sends the transaction a channel's effect calls for, and returns what the contract said happened, as events to
     * apply to the channel (none if it did nothing).
     */
    List<Channel.Event> submit(Channel channel, Channel.Effect effect);
}
