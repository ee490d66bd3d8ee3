package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.Bytes32;
import java.time.Instant;
import java.util.Optional;

/**
 * A subscription in the market, as quoted before paying and as paid.
 *
 * @param asset what the plan is paid in
 * @param expiresAt quoted: when it would run until (a new subscription counts from the block its payment lands in,
 *     so it ends a few seconds later); paid: when it runs until, as the chain's event says
 * @param transaction the payment's transaction, once paid; empty in a quote
 */
public record SubscriptionPurchase(Address provider, long planId, long months, Asset asset, Amount price,
                                   Instant expiresAt, Optional<Bytes32> transaction) {

    public boolean paid() {
        return transaction.isPresent();
    }
}
