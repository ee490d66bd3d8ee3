package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.Objects;

/**
 * A direct on-chain payment this node verified and credited: the transaction, the peer that sent it, what it
 * paid ({@code token}: the zero address for ether) and the block it counted in.
 */
public record ReceivedTransfer(Bytes32 txHash, Address peer, Address token, Amount amount, BlockRef block) {

    public ReceivedTransfer {
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(block, "block");
    }
}
