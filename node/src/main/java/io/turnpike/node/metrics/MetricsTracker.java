package io.turnpike.node.metrics;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.Duration;

/**
 * What the node's money and service paths report as it happens, for metrics: an optional integration behind a
 * small interface (HikariCP's MetricsTracker). Every method is cheap and never blocks; by default nothing is kept.
 */
public interface MetricsTracker {

    MetricsTracker NONE = new MetricsTracker() {
    };

    /** This node signed a proof paying {@code peer} {@code amount} more (written down, then sent). */
    default void paid(Address peer, Amount amount) {
    }

    /** {@code peer} paid this node {@code amount} more, in a proof it accepted. */
    default void earned(Address peer, Amount amount) {
    }

    /** A payment this node made was acknowledged {@code latency} after it left. */
    default void acknowledged(Duration latency) {
    }

    /** {@code client} used {@code units} of {@code service}, as the service reported it. */
    default void used(Address client, String service, long units) {
    }

    /** A notification of {@code client}'s subscription to {@code service} was dropped: its buffer did not hold it. */
    default void notificationDropped(Address client, String service) {
    }

    /** A message from {@code peer} was refused with {@code code}. */
    default void refused(Address peer, String code) {
    }

    /** {@code peer} was forgotten: its series are no longer reported. */
    default void forget(Address peer) {
    }
}
