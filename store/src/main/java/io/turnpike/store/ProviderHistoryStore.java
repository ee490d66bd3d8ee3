package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.market.ProviderHistory;
import java.util.Map;

/**
 * What this node saw each provider it buys from do wrong, kept across restarts. Every write is durable when the call
 * returns.
 */
public interface ProviderHistoryStore {

    static ProviderHistoryStore of(Store store) {
        return new JdbcProviderHistoryStore(store.reads(), store.committer());
    }

    /** Adds {@code events} to {@code provider}'s counters; returns its history with them. */
    ProviderHistory add(Address provider, ProviderHistory events);

    /** Every provider with anything on record. */
    Map<Address, ProviderHistory> all();
}
