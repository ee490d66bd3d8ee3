package io.turnpike.node.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.turnpike.chain.rpc.RpcMetrics;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.SubscriptionView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The node's metrics through Micrometer, scraped as Prometheus text: cumulative figures are counters
 * ({@code _total}), balances gauges, payment and RPC latencies histograms, plus the JVM's and the process's own,
 * and a build-info series. Balances are read from the node's views at each scrape, so a settled channel or a peer
 * no longer known simply drops out. Amounts are in the asset's smallest unit; Prometheus stores floats, so exact
 * figures come from the API.
 */
public final class MicrometerMetrics implements MetricsTracker, RpcMetrics {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** How many refusals {@link #recentRefusals()} keeps: enough for an operator to see what a peer keeps sending. */
    static final int RECENT_REFUSALS = 20;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicReference<NodeStatus> status = new AtomicReference<>();
    private final MultiGauge peerConnected;
    private final MultiGauge peerOwed;
    private final MultiGauge peerCredit;
    private final MultiGauge peerInFlight;
    private final MultiGauge channelSpendable;
    private final MultiGauge channelDeposit;
    private final MultiGauge subscriptionSecondsLeft;
    private final Timer acknowledgement;
    private final String asset;
    private final Clock clock;
    /** Newest first; guarded by itself. */
    private final Deque<RefusalView> recentRefusals = new ArrayDeque<>();

    /** @param asset the symbol of the asset amounts are in, as a tag on every money series */
    public MicrometerMetrics(String version, String asset) {
        this(version, asset, Clock.systemUTC());
    }

    /** @param clock dates the refusals {@link #recentRefusals()} lists */
    public MicrometerMetrics(String version, String asset, Clock clock) {
        this.asset = asset;
        this.clock = clock;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder("turnpike.build.info", () -> 1).description("The running build; always 1.")
                .tag("version", version).register(registry);
        Gauge.builder("turnpike.head.block", status, s -> s.get() == null ? 0 : s.get().headBlock())
                .description("The newest block this node has seen.").register(registry);
        Gauge.builder("turnpike.chain.stale", status, s -> s.get() != null && s.get().chainStale() ? 1 : 0)
                .description("1 while no new block has been seen for turnpike.chain.stale-after: enforcement that "
                        + "depends on the chain is paused.").register(registry);
        peerConnected = MultiGauge.builder("turnpike.peer.connected").description("1 while the peer is connected.")
                .register(registry);
        peerOwed = MultiGauge.builder("turnpike.peer.owed")
                .description("Used minus paid minus credit, never negative, per peer and role, in the asset's smallest "
                        + "unit.").register(registry);
        peerCredit = MultiGauge.builder("turnpike.peer.credit")
                .description("Overpayment kept as credit.").register(registry);
        peerInFlight = MultiGauge.builder("turnpike.peer.in.flight")
                .description("Paid and not yet acknowledged.").register(registry);
        channelSpendable = MultiGauge.builder("turnpike.channel.spendable")
                .description("What this node can still pay in each open channel.").register(registry);
        channelDeposit = MultiGauge.builder("turnpike.channel.deposit")
                .description("What each side deposited, per channel not yet settled.").register(registry);
        subscriptionSecondsLeft = MultiGauge.builder("turnpike.subscription.seconds.left")
                .description("Seconds until each of this node's own subscriptions in the market expires; 0 or less once "
                        + "it has.").register(registry);
        acknowledgement = Timer.builder("turnpike.payment.latency")
                .description("From a payment leaving this node to the partner's receipt.")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
    }

    @Override
    public void paid(Address peer, Amount amount) {
        payment("sent", peer, amount);
    }

    @Override
    public void earned(Address peer, Amount amount) {
        payment("received", peer, amount);
    }

    private void payment(String direction, Address peer, Amount amount) {
        Tags tags = Tags.of("peer", peer.toString(), "direction", direction, "asset", asset);
        Counter.builder("turnpike.payments").description("Payments (balance proofs) made and taken.").tags(tags)
                .register(registry).increment();
        Counter.builder("turnpike.payments.amount").description("What the payments moved, in the asset's smallest unit.")
                .tags(tags).register(registry).increment(amount.value().doubleValue());
    }

    @Override
    public void acknowledged(Duration latency) {
        acknowledgement.record(latency);
    }

    @Override
    public void used(Address client, String service, long units) {
        Counter.builder("turnpike.service.units").description("Units of each service clients used (bandwidth: bytes "
                        + "relayed both ways).").tags("peer", client.toString(), "service", service)
                .register(registry).increment(units);
    }

    @Override
    public void notificationDropped(Address client, String service) {
        Counter.builder("turnpike.service.notifications.dropped").description("Subscription notifications dropped, "
                        + "unsent and unpaid, because the client's buffer did not hold their cost.")
                .tags("peer", client.toString(), "service", service).register(registry).increment();
    }

    @Override
    public void refused(Address peer, String code) {
        Counter.builder("turnpike.peer.refusals").description("Peer messages refused, by error code.")
                .tags("code", code).register(registry).increment();
        synchronized (recentRefusals) {
            recentRefusals.addFirst(new RefusalView(clock.instant(), peer, code));
            if (recentRefusals.size() > RECENT_REFUSALS) {
                recentRefusals.removeLast();
            }
        }
    }

    @Override
    public void forget(Address peer) {
        String tag = peer.toString();
        List.copyOf(registry.getMeters()).stream().filter(meter -> tag.equals(meter.getId().getTag("peer")))
                .forEach(registry::remove);
    }

    /** The last refusals of peers' messages, newest first; the counter above has them all, by code. */
    public List<RefusalView> recentRefusals() {
        synchronized (recentRefusals) {
            return List.copyOf(recentRefusals);
        }
    }

    @Override
    public void answered(String endpoint, long nanos) {
        Timer.builder("turnpike.rpc.requests").description("JSON-RPC requests answered, per endpoint.")
                .tag("endpoint", endpoint).publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void failed(String endpoint) {
        Counter.builder("turnpike.rpc.errors").description("JSON-RPC requests an endpoint failed or was refused for.")
                .tag("endpoint", endpoint).register(registry).increment();
    }

    /** This node's own subscriptions in the market, as of {@code now}: the seconds each has left. */
    public void subscriptions(List<SubscriptionView> held, Instant now) {
        subscriptionSecondsLeft.register(held.stream().<MultiGauge.Row<?>>map(s -> MultiGauge.Row.of(
                Tags.of("provider", s.provider().toString(), "plan", Long.toString(s.planId())),
                s.expiresAt().getEpochSecond() - now.getEpochSecond())).toList(), true);
    }

    /** The Prometheus text, with the balances read from the node's views now. */
    public String scrape(NodeStatus current, List<PeerView> peers, List<ChannelView> channels) {
        status.set(current);
        peerConnected.register(peerRows(peers, p -> p.connected() ? 1 : 0), true);
        peerOwed.register(peerRows(peers, p -> p.owed().value().doubleValue()), true);
        peerCredit.register(peerRows(peers, p -> p.credit().value().doubleValue()), true);
        peerInFlight.register(peerRows(peers, p -> p.inFlight().value().doubleValue()), true);
        List<ChannelView> unsettled = channels.stream().filter(c -> !"SETTLED".equals(c.state())).toList();
        channelSpendable.register(unsettled.stream().filter(c -> "OPEN".equals(c.state()))
                .map(c -> MultiGauge.Row.of(channelTags(c), c.spendable().value().doubleValue())).toList(), true);
        channelDeposit.register(unsettled.stream().flatMap(c -> java.util.stream.Stream.of(
                MultiGauge.Row.of(channelTags(c).and("side", "own"), c.ownDeposit().value().doubleValue()),
                MultiGauge.Row.of(channelTags(c).and("side", "partner"), c.partnerDeposit().value().doubleValue())))
                .toList(), true);
        return registry.scrape();
    }

    private List<MultiGauge.Row<?>> peerRows(List<PeerView> peers, Function<PeerView, Number> value) {
        return peers.stream().<MultiGauge.Row<?>>map(p -> MultiGauge.Row.of(Tags.of("peer", p.address().toString(),
                "role", p.role(), "asset", asset), value.apply(p))).toList();
    }

    private Tags channelTags(ChannelView channel) {
        return Tags.of("channel", Long.toString(channel.channelId()), "partner", channel.partner().toString(),
                "state", channel.state(), "asset", asset);
    }
}
