package io.turnpike.store;

import io.turnpike.core.crypto.Bytes32;
import java.time.Clock;
import java.util.Optional;

/**
 * The authorizations an HTTP paywall took as payment, so that none is taken twice: not replayed later, not by two
 * requests at once, not after a restart. Every write is durable when the call returns.
 */
public interface PaywallStore {

    /** The paywall's records in {@code store}'s database; {@code clock} stamps when each was claimed. */
    static PaywallStore of(Store store, Clock clock) {
        return new JdbcPaywallStore(store.committer(), clock);
    }

    /**
     * Writes {@code authorization} down unless its key already is, in one atomic step: of any number of calls for one
     * key, concurrent or not, in this process or another on the same database, exactly one returns true.
     *
     * @return whether this call claimed it, so the caller may serve and settle it
     */
    boolean claim(PaywallAuthorization authorization);

    /**
     * The settlement of a claimed authorization was recorded by the transaction manager as {@code txHash}. When it
     * pays this node ({@code earned}), the payer's ledger ({@link Debtor#PEER}, in the token) counts its amount as
     * used and paid, in the same commit: the books hold what the transfer moves, to the wei, and only once.
     */
    void settled(PaywallAuthorization.Key key, Bytes32 txHash, boolean earned);

    /** Gives back a claim whose settlement was never sent (the backend failed): the payer may use it again. */
    void release(PaywallAuthorization.Key key);

    Optional<PaywallAuthorization> find(PaywallAuthorization.Key key);
}
