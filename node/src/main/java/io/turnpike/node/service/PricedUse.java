package io.turnpike.node.service;

import io.turnpike.core.Amount;
import java.util.Objects;

/**
 * Use of a service at one price per unit: a service whose price moves ({@code rpc}) reports each charge with the price
 * it was admitted at, and both sides price those units at that price rather than at the offer's current one.
 */
public record PricedUse(String service, Amount pricePerUnit) {

    public PricedUse {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(pricePerUnit, "pricePerUnit");
    }
}
