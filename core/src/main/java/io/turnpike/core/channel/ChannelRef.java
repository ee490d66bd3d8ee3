package io.turnpike.core.channel;

import io.turnpike.core.Address;
import java.util.Objects;

/** Names one channel: ids come from a per-contract counter, so the contract and its chain are part of the name. */
public record ChannelRef(long chainId, Address contract, long channelId) {

    public ChannelRef {
        Objects.requireNonNull(contract, "contract");
        if (chainId <= 0) {
            throw new IllegalArgumentException("a chain id is positive, got " + chainId);
        }
        if (channelId < 1) {
            throw new IllegalArgumentException("a channel id is 1 or more (the contract counts from 1), got " + channelId);
        }
    }

    /** Refuses a proof signed for another channel, which must never be stored as this one's. */
    public void requireOwn(Signed<BalanceProof> proof) {
        if (proof.message().channelId() != channelId) {
            throw new IllegalArgumentException("a proof for channel " + proof.message().channelId()
                    + " cannot be stored for channel " + channelId);
        }
    }
}
