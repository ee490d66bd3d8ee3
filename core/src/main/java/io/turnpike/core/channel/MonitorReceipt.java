package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * Signed by a watchtower when it accepts an upload: it now holds the proof ({@code nonce},
 * {@code transferred}) of channel {@code channelId} and will answer a stale close against
 * {@code nonCloser} with it. The node keeps it as evidence of what the tower promised to guard.
 */
public record MonitorReceipt(long channelId, long nonce, Amount transferred, Address nonCloser)
        implements TypedMessage {

    private static final byte[] TYPE_HASH = StructHasher.typeHash(
            "MonitorReceipt(uint256 channelId,uint256 nonce,uint256 transferred,address nonCloser)");

    public MonitorReceipt {
        ChannelFields.requireChannelId(channelId);
        ChannelFields.requireNonNegative("nonce", nonce);
        Objects.requireNonNull(transferred, "transferred");
        Objects.requireNonNull(nonCloser, "nonCloser");
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH)
                .uint256(channelId)
                .uint256(nonce)
                .uint256(transferred)
                .address(nonCloser)
                .hash();
    }
}
