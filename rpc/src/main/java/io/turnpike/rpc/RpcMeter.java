package io.turnpike.rpc;

import io.turnpike.core.Address;

/**
 * Where charged cost units are reported, to be priced and paid for: at the front per client, at the entry per
 * provider — the same figure on both sides, since the entry reads it from the front's answer.
 */
@FunctionalInterface
public interface RpcMeter {

    /** {@code units} more were charged to (at a front) or by (at an entry) {@code peer}; any thread, never blocks. */
    void charged(Address peer, long units);
}
