package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.Objects;

/**
 * A TurnpikeMarket {@code Subscribed} event and where the chain holds it: {@code beneficiary}'s subscription to
 * {@code provider}'s plan {@code planId} runs until {@code expiresAt} (unix seconds, the chain's clock).
 */
public record ObservedSubscription(BlockRef block, long logIndex, Address subscriber, Address beneficiary,
                                   Address provider, long planId, long periods, Amount paid, long expiresAt) {

    public ObservedSubscription {
        Objects.requireNonNull(block, "block");
        Objects.requireNonNull(subscriber, "subscriber");
        Objects.requireNonNull(beneficiary, "beneficiary");
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(paid, "paid");
    }
}
