package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * Signed by a node that lost its state to get back the proofs a watchtower holds for it. The
 * {@code timestamp} (unix seconds) lets the tower refuse an old request replayed by someone who saw it.
 */
public record RestoreRequest(Address node, long timestamp) implements TypedMessage {

    private static final byte[] TYPE_HASH =
            StructHasher.typeHash("RestoreRequest(address node,uint256 timestamp)");

    public RestoreRequest {
        Objects.requireNonNull(node, "node");
        ChannelFields.requireNonNegative("timestamp", timestamp);
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH).address(node).uint256(timestamp).hash();
    }
}
