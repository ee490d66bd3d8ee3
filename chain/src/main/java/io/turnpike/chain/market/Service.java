package io.turnpike.chain.market;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.Objects;

/**
 * A service a provider lists in its record, with an indicative price per unit in {@code asset} (the zero address
 * for ether). The price that binds is the one in the provider's offer over the peer connection.
 */
public record Service(String name, String unit, Address asset, Amount pricePerUnit) {

    public Service {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(pricePerUnit, "pricePerUnit");
    }
}
