package io.turnpike.node.service;

import io.turnpike.core.Address;

/** Where a service reports what each client used; any thread may call it, and it never blocks. */
public interface UsageMeter {

    /** {@code client} used {@code units} more of {@code service}. */
    void used(Address client, String service, long units);
}
