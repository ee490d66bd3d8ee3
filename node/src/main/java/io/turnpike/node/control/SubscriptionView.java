package io.turnpike.node.control;

import io.turnpike.core.Address;
import java.time.Instant;

/**
 * One of this node's own subscriptions in the market, as the chain confirmed it.
 *
 * @param state {@code running}; {@code ending} within its last 7 days; {@code ended}
 * @param renewal the command that renews it
 */
public record SubscriptionView(Address provider, long planId, Instant expiresAt, String state, String renewal) {
}
