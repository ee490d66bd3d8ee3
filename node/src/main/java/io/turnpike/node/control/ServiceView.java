package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/**
 * A service at its price: one this node sells ({@code seller} is this node), or one a provider it buys from offered.
 *
 * @param unit what the price is per ("byte" for bandwidth, "cost_unit" for rpc)
 * @param pricePerUnit in the node's asset's smallest unit
 */
public record ServiceView(Address seller, String service, String unit, Amount pricePerUnit) {
}
