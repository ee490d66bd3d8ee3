package io.turnpike.core.channel;

import io.turnpike.core.Amount;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * What a payer signs to pay its partner: {@code transferred} is everything it has ever paid the
 * partner in this channel, so a newer proof (higher nonce) supersedes every older one. Nonce 0 with
 * nothing transferred is the "nothing received" proof a closer may submit.
 */
public record BalanceProof(long channelId, long nonce, Amount transferred) implements TypedMessage {

    private static final byte[] TYPE_HASH =
            StructHasher.typeHash("BalanceProof(uint256 channelId,uint256 nonce,uint256 transferred)");

    public BalanceProof {
        ChannelFields.requireChannelId(channelId);
        ChannelFields.requireNonNegative("nonce", nonce);
        Objects.requireNonNull(transferred, "transferred");
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH).uint256(channelId).uint256(nonce).uint256(transferred).hash();
    }
}
