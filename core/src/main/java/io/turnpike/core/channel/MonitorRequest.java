package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * Signed by the non-closing participant to let the watchtower at {@code monitor} submit the closer's
 * balance proof ({@code nonce}, {@code transferred}) for it. The reward and its recipient are inside
 * the signature, so another party cannot front-run the tower and take the reward.
 */
public record MonitorRequest(long channelId, long nonce, Amount transferred, Amount reward, Address monitor)
        implements TypedMessage {

    private static final byte[] TYPE_HASH = StructHasher.typeHash(
            "MonitorRequest(uint256 channelId,uint256 nonce,uint256 transferred,uint256 reward,address monitor)");

    public MonitorRequest {
        ChannelFields.requireChannelId(channelId);
        ChannelFields.requireNonNegative("nonce", nonce);
        Objects.requireNonNull(transferred, "transferred");
        Objects.requireNonNull(reward, "reward");
        Objects.requireNonNull(monitor, "monitor");
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH)
                .uint256(channelId)
                .uint256(nonce)
                .uint256(transferred)
                .uint256(reward)
                .address(monitor)
                .hash();
    }
}
