package io.turnpike.core.channel;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.StructHasher;
import java.util.Objects;

/**
 * What each side of a peer connection signs to prove who it is: the other side's fresh random
 * {@code challenge} (so an old signature cannot be replayed), its own address as {@code signer} and the
 * other side's as {@code peer} (so a node in the middle cannot pass it on to a third node), in the
 * Turnpike domain (so it only counts on one chain and one contract).
 */
public record Handshake(Bytes32 challenge, Address signer, Address peer) implements TypedMessage {

    private static final byte[] TYPE_HASH =
            StructHasher.typeHash("Handshake(bytes32 challenge,address signer,address peer)");

    public Handshake {
        Objects.requireNonNull(challenge, "challenge");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(peer, "peer");
    }

    @Override
    public byte[] structHash() {
        return StructHasher.of(TYPE_HASH).bytes32(challenge).address(signer).address(peer).hash();
    }
}
