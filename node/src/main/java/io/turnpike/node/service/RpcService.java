package io.turnpike.node.service;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.service.Standing;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.rpc.CostTable;
import io.turnpike.rpc.MethodCost;
import io.turnpike.rpc.RpcFront;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paid JSON-RPC as a {@link SoldService}: the {@link RpcFront} before the operator's own nodes. One unit is one cost
 * unit of the front's table, charged at the real cost of each request and at the price it was admitted at (which
 * follows the load, {@code price}); a client at the free tier is served only from
 * the spare capacity, at the free capacity at most, never cut off.
 */
public final class RpcService implements SoldService {

    public static final String NAME = "rpc";
    private static final Logger LOG = LoggerFactory.getLogger(RpcService.class);
    /** Where a balance's time is capped: past any balance of a uint256 at a price, and clear of Duration's overflow. */
    private static final Duration MAX_COVERED = Duration.ofSeconds(Long.MAX_VALUE / 4);

    private final NodeConfig.Rpc settings;
    private volatile RpcFront front;

    public RpcService(NodeConfig.Rpc settings) {
        this.settings = settings;
    }

    /**
     * Starts the front: clients log in with the tokens {@code sessions} issued for rpc; charges go to {@code usage}, at
     * the price each request was admitted at; when the price moves, {@code reoffer} announces it; each notification
     * dropped for a client's empty buffer is counted in {@code metrics}.
     */
    public RpcFront start(ServiceSessions sessions, UsageMeter usage, Runnable reoffer, MetricsTracker metrics)
            throws IOException {
        NodeConfig.Endpoint bind = settings.front();
        RpcFront started = RpcFront.start(new InetSocketAddress(bind.bind(), bind.port()), settings.settings(),
                (client, token) -> sessions.isValid(client, NAME, token),
                (client, units, price) -> usage.used(client, NAME, units, price), System::nanoTime);
        started.onPriceMoved(price -> reoffer.run());
        started.onNotificationDropped(client -> metrics.notificationDropped(client, NAME));
        this.front = started;
        return started;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unit() {
        return "cost_unit";
    }

    /** The front's price now, which moves with its load; before it starts, the configured starting price. */
    @Override
    public Amount pricePerUnit() {
        RpcFront f = front;
        return f == null ? settings.pricePerUnit() : f.price();
    }

    /** The front's cost table, so that a client's entry estimates each request's cost as the front will. */
    @Override
    public List<Offer.Cost> costs() {
        return settings.settings().costs().methods().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new Offer.Cost(e.getKey(), e.getValue().base(), e.getValue().perItem())).toList();
    }

    /**
     * The cost table a provider announced for rpc, as the entry prices by: remembered for the terms it was made
     * from, since the entry asks at every request and the terms change only with an offer.
     */
    public static final class AnnouncedCosts {
        private volatile Map.Entry<List<Offer.Cost>, CostTable> last = Map.entry(List.of(), CostTable.defaults());

        /**
         * The table of {@code terms}; the default one for a provider that announced none (one from before the
         * table was announced) or one the front could not have (a per-item cost on a method spanning no blocks).
         */
        public CostTable of(Optional<Offer.ServiceTerms> terms) {
            List<Offer.Cost> costs = terms.map(Offer.ServiceTerms::costs).orElse(List.of());
            Map.Entry<List<Offer.Cost>, CostTable> known = last;
            if (known.getKey().equals(costs)) {
                return known.getValue();
            }
            CostTable table;
            try {
                table = costs.isEmpty() ? CostTable.defaults() : new CostTable(costs.stream().collect(
                        Collectors.toMap(Offer.Cost::item, c -> new MethodCost(c.base(), c.perItem()))));
            } catch (IllegalArgumentException notAFrontsTable) {
                LOG.warn("the rpc provider announced a cost table no front could have ({}); estimating by the "
                        + "default one", notAFrontsTable.getMessage());
                table = CostTable.defaults();
            }
            last = Map.entry(costs, table);
            return table;
        }
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

    @Override
    public void forget(Address client) {
        RpcFront f = front;
        if (f != null) {
            f.forget(client);
        }
    }

    /** The front ranks paid clients by how long their balance pays for a seat at the paid capacity. */
    @Override
    public void prepaid(Address client, Amount balance) {
        RpcFront f = front;
        if (f != null) {
            f.prepaid(client, covered(balance));
        }
    }

    @Override
    public List<Long> quote(List<Amount> balances) {
        RpcFront f = front;
        return f == null ? List.of() : f.quote(balances.stream().map(this::covered).toList());
    }

    /** How long {@code balance} pays for a seat: a paid client's capacity, at the unit price, costs this per second. */
    private Duration covered(Amount balance) {
        BigInteger perSecond = pricePerUnit().value()
                .multiply(BigInteger.valueOf(settings.settings().capacity().paid()));
        if (perSecond.signum() == 0) {
            return MAX_COVERED; // a service given away: every balance lasts
        }
        BigInteger seconds = balance.value().divide(perSecond);
        return seconds.compareTo(BigInteger.valueOf(MAX_COVERED.toSeconds())) >= 0 ? MAX_COVERED
                : Duration.ofSeconds(seconds.longValueExact());
    }
}
