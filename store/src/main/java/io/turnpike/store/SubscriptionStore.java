package io.turnpike.store;

import io.turnpike.core.Address;
import java.util.List;

/**
 * The {@code Subscribed} events a provider has read from one TurnpikeMarket deployment, kept beside the log
 * cursor they were read up to, so that a restart resumes from both. Every write is durable when the call returns.
 */
public interface SubscriptionStore {

    static SubscriptionStore of(Store store) {
        return new JdbcSubscriptionStore(store.reads(), store.committer());
    }

    /** Keeps {@code event} of {@code market}; the same event (block hash, log index) again changes nothing. */
    void record(Address market, ObservedSubscription event);

    /** Forgets every event of {@code market} from block {@code fromBlock} on: a re-org replaced those blocks. */
    void forgetFrom(Address market, long fromBlock);

    /** Every event kept for {@code market}, in chain order. */
    List<ObservedSubscription> all(Address market);
}
