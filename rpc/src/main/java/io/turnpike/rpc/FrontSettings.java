package io.turnpike.rpc;

import io.turnpike.core.Amount;
import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * A front's settings apart from where it listens.
 *
 * @param upstreams the operator's own nodes, tried in this order; one that fails is tried last for a while
 * @param price the price per cost unit and how it follows the load
 * @param sockets what a WebSocket client may hold of the front
 */
public record FrontSettings(List<UpstreamNode> upstreams, CostTable costs, RpcLimits limits, Capacity capacity,
                            PriceRule price, SocketLimits sockets) {

    public FrontSettings {
        upstreams = List.copyOf(upstreams);
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("a front needs at least one upstream node");
        }
        Objects.requireNonNull(costs, "costs");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(price, "price");
        Objects.requireNonNull(sockets, "sockets");
    }

    /** The default table, limits and capacity, in front of {@code upstreams}, given away (a price of 0). */
    public static FrontSettings of(List<URI> upstreams) {
        return new FrontSettings(nodesAt(upstreams), CostTable.defaults(), RpcLimits.defaults(), Capacity.defaults(),
                PriceRule.fixed(Amount.ZERO), SocketLimits.defaults());
    }

    /** Before nodes serving their WebSocket on their HTTP URLs' ports. */
    public FrontSettings withUpstreams(List<URI> next) {
        return withUpstreamNodes(nodesAt(next));
    }

    public FrontSettings withUpstreamNodes(List<UpstreamNode> next) {
        return new FrontSettings(next, costs, limits, capacity, price, sockets);
    }

    private static List<UpstreamNode> nodesAt(List<URI> http) {
        return http.stream().map(UpstreamNode::at).toList();
    }

    public FrontSettings withCosts(CostTable next) {
        return new FrontSettings(upstreams, next, limits, capacity, price, sockets);
    }

    public FrontSettings withLimits(RpcLimits next) {
        return new FrontSettings(upstreams, costs, next, capacity, price, sockets);
    }

    public FrontSettings withCapacity(Capacity next) {
        return new FrontSettings(upstreams, costs, limits, next, price, sockets);
    }

    public FrontSettings withSockets(SocketLimits next) {
        return new FrontSettings(upstreams, costs, limits, capacity, price, next);
    }

    public FrontSettings withPrice(PriceRule next) {
        return new FrontSettings(upstreams, costs, limits, capacity, next, sockets);
    }
}
