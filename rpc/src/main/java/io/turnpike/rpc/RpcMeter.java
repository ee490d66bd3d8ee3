package io.turnpike.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/**
 * Where charged cost units are reported, to be priced and paid for: at the front per client, at the entry per
 * provider — the same figure on both sides, since the entry reads it from the front's answer, with the price per
 * unit the request was admitted at (the front's price moves with its load; a request keeps the price it was admitted
 * at).
 */
@FunctionalInterface
public interface RpcMeter {

    /**
     * {@code units} more were charged to (at a front) or by (at an entry) {@code peer}, at {@code pricePerUnit} each;
     * any thread, never blocks.
     */
    void charged(Address peer, long units, Amount pricePerUnit);
}
