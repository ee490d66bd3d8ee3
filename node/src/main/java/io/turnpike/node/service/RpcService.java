package io.turnpike.node.service;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.service.Standing;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.rpc.RpcFront;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Paid JSON-RPC as a {@link SoldService}: the {@link RpcFront} before the operator's own nodes. One unit is one cost
 * unit of the front's table, charged at the real cost of each request; a client at the free tier is served only from
 * the spare capacity, at the free capacity at most, never cut off.
 */
public final class RpcService implements SoldService {

    public static final String NAME = "rpc";

    private final NodeConfig.Rpc settings;
    private volatile RpcFront front;

    public RpcService(NodeConfig.Rpc settings) {
        this.settings = settings;
    }

    /**
     * Starts the front: clients log in with the tokens {@code sessions} issued for rpc; charges go to {@code usage}.
     */
    public RpcFront start(ServiceSessions sessions, UsageMeter usage) throws IOException {
        NodeConfig.Endpoint bind = settings.front();
        this.front = RpcFront.start(new InetSocketAddress(bind.bind(), bind.port()), settings.settings(),
                (client, token) -> sessions.isValid(client, NAME, token),
                (client, units) -> usage.used(client, NAME, units), System::nanoTime);
        return front;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unit() {
        return "cost_unit";
    }

    @Override
    public Amount pricePerUnit() {
        return settings.pricePerUnit();
    }

    @Override
    public long freeRate() {
        return settings.settings().capacity().free();
    }

    @Override
    public void standing(Address client, Standing standing) {
        RpcFront f = front;
        if (f != null) {
            f.standing(client, standing);
        }
    }
}
