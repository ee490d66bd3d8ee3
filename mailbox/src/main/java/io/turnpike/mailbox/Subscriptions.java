package io.turnpike.mailbox;

import io.turnpike.chain.market.SubscriptionFollower;
import io.turnpike.core.Address;
import java.util.OptionalLong;

/** The subscriptions to this provider's plans the chain has confirmed: a {@link SubscriptionFollower} in a node. */
@FunctionalInterface
public interface Subscriptions {

    /** Until when (unix seconds, the chain's clock) {@code owner}'s subscription to {@code planId} runs; empty if never. */
    OptionalLong expiresAt(Address owner, long planId);

    /** The subscriptions to {@code provider}'s plans that {@code follower} has read. */
    static Subscriptions following(SubscriptionFollower follower, Address provider) {
        return (owner, planId) -> follower.expiresAt(owner, provider, planId);
    }
}
