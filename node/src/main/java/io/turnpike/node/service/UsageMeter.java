package io.turnpike.node.service;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/** Where a service reports what each client used; any thread may call it, and it never blocks. */
public interface UsageMeter {

    /** {@code client} used {@code units} more of {@code service}. */
    void used(Address client, String service, long units);

    /** {@code client} used {@code units} more of {@code service} at {@code pricePerUnit}, not the offer's price now. */
    void used(Address client, String service, long units, Amount pricePerUnit);
}
