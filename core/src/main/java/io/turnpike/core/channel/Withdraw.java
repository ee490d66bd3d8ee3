package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * Both participants sign that {@code participant} may have withdrawn {@code totalWithdraw} in total
 * (a total, so a replayed withdrawal moves nothing) until {@code expiry}, in unix seconds.
 */
public record Withdraw(long channelId, Address participant, Amount totalWithdraw, long expiry)
        implements TypedMessage {

    private static final byte[] TYPE_HASH = StructHasher.typeHash(
            "Withdraw(uint256 channelId,address participant,uint256 totalWithdraw,uint256 expiry)");

    public Withdraw {
        ChannelFields.requireChannelId(channelId);
        Objects.requireNonNull(participant, "participant");
        Objects.requireNonNull(totalWithdraw, "totalWithdraw");
        ChannelFields.requireNonNegative("expiry", expiry);
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH)
                .uint256(channelId)
                .address(participant)
                .uint256(totalWithdraw)
                .uint256(expiry)
                .hash();
    }
}
