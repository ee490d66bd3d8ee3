package io.turnpike.chain.monitor;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.Map;
import java.util.Objects;

/**
 * Below which wallet balance a warning is raised: for ether, and for each ERC-20 token watched (the
 * tokens watched are exactly the keys). A zero threshold watches without warning.
 */
public record BalanceThresholds(Amount ether, Map<Address, Amount> tokens) {

    public BalanceThresholds {
        Objects.requireNonNull(ether, "ether");
        tokens = Map.copyOf(tokens);
    }
}
