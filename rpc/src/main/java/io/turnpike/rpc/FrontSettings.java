package io.turnpike.rpc;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A front's settings apart from where it listens.
 *
 * @param upstreams the operator's own nodes, tried in this order; one that fails is tried last for a while
 */
public record FrontSettings(List<URI> upstreams, CostTable costs, RpcLimits limits, Capacity capacity) {

    public FrontSettings {
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("a front needs at least one upstream node");
        }
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(capacity, "capacity");
    }

    /** The default table, limits and capacity, in front of {@code upstreams}. */
    public static FrontSettings of(List<URI> upstreams) {
        return new FrontSettings(upstreams, CostTable.defaults(), RpcLimits.defaults(), Capacity.defaults());
    }

    public FrontSettings withLimits(RpcLimits next) {
        return new FrontSettings(upstreams, costs, next, capacity);
    }

    public FrontSettings withCapacity(Capacity next) {
        return new FrontSettings(upstreams, costs, limits, next);
    }
}
