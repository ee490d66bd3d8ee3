package io.turnpike.chain.market;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/**
 * A provider as the market holds it: its record (empty once deregistered), its stake, and the part of the stake it
 * announced it will withdraw, which may leave from {@code unstakeAt} (unix seconds; 0 when nothing is announced).
 */
public record Provider(Address address, boolean registered, ProviderRecord record, Amount stake, Amount unstakeAmount,
                       long unstakeAt) {

    /** The stake that stays: what a client may count on beyond the announced withdrawal. */
    public Amount committedStake() {
        return stake.minus(unstakeAmount);
    }
}
