package io.turnpike.core.channel;

import io.turnpike.core.Amount;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/** Both participants sign the final split; the contract pays it out at once, with no challenge period. */
public record CooperativeSettle(long channelId, Amount payoutA, Amount payoutB) implements TypedMessage {

    private static final byte[] TYPE_HASH =
            StructHasher.typeHash("CooperativeSettle(uint256 channelId,uint256 payoutA,uint256 payoutB)");

    public CooperativeSettle {
        ChannelFields.requireChannelId(channelId);
        Objects.requireNonNull(payoutA, "payoutA");
        Objects.requireNonNull(payoutB, "payoutB");
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH).uint256(channelId).uint256(payoutA).uint256(payoutB).hash();
    }
}
