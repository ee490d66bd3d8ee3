package io.turnpike.store;

import io.turnpike.core.Address;
import java.util.Objects;

/**
 * Whose money a database holds: the node's address, the chain and the channel contract. The first open
 * binds a database to it; opening it with another identity is refused, because acting on another key's
 * or another chain's channels could lose money.
 */
public record NodeIdentity(Address node, long chainId, Address contract) {

    public NodeIdentity {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(contract, "contract");
        if (chainId <= 0) {
            throw new IllegalArgumentException("a chain id is positive, got " + chainId);
        }
    }

    @Override
    public String toString() {
        return "node " + node + " on chain " + chainId + " with contract " + contract;
    }
}
