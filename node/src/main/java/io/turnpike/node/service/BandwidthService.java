package io.turnpike.node.service;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.relay.Meter;
import io.turnpike.relay.RelayConfig;
import io.turnpike.relay.RelayServer;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * Bandwidth as a {@link SoldService}: the metered SOCKS5 relay. Every byte it carries for a client, both ways, is
 * one unit; a client at the free tier is throttled to the free rate, never disconnected.
 */
public final class BandwidthService extends PerByteService implements Meter {

    public static final String NAME = "bandwidth";

    private final NodeConfig.Bandwidth settings;
    private volatile RelayServer relay;

    public BandwidthService(NodeConfig.Bandwidth settings) {
        super(NAME, settings.pricePerByte());
        this.settings = settings;
    }

    /**
     * Starts the relay: clients log in with the tokens {@code sessions} issued for bandwidth;
     * use goes to {@code usage}.
     */
    public RelayServer start(ServiceSessions sessions, UsageMeter usage) throws IOException {
        meterInto(usage);
        NodeConfig.Endpoint bind = settings.relay();
        this.relay = RelayServer.start(RelayConfig.listeningOn(new InetSocketAddress(bind.bind(), bind.port()))
                .withPrivateTargets(settings.allowPrivateTargets())
                .withThrottledTotalRate(settings.freeTierTotalRate()), (client, token) -> sessions.isValid(client, NAME,
                token), this);
        return relay;
    }

    @Override
    public long freeRate() {
        return settings.freeTierRate();
    }

    @Override
    public void standing(Address client, Standing standing) {
        RelayServer r = relay;
        if (r != null) {
            r.setRate(client, standing == Standing.PAID ? RelayServer.UNLIMITED : settings.freeTierRate());
        }
    }

    @Override
    public boolean serves(Address client) {
        RelayServer r = relay;
        return r != null && r.connections(client) > 0;
    }

    @Override
    public void forget(Address client) {
        RelayServer r = relay;
        if (r != null) {
            r.forget(client);
        }
    }

    @Override
    public void relayed(Address client, long bytesUp, long bytesDown) {
        metered(client, bytesUp + bytesDown);
    }
}
