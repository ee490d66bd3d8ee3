package io.turnpike.node.market;

import io.turnpike.chain.market.Provider;
import io.turnpike.core.Address;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The providers registered in the market (when turnpike.chain.market is set) and how far each known provider is from
 * here, read again at most every {@link #FRESH_FOR}: the API is polled every few seconds and every new connection
 * asks for the best provider, and neither may wait for the chain or a probe. A refresh runs in the background; until
 * the first one ends, nothing is registered and no latency is known.
 */
public final class MarketDirectory {

    public static final Duration FRESH_FOR = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MarketDirectory.class);

    /**
     * What was read at {@code readAt}.
     *
     * @param registered each registered provider, by address, in the market's order
     * @param probes what probing each provider measured
     */
    public record Listing(Map<Address, Provider> registered, Map<Address, LatencyProbe.Result> probes,
                          Instant readAt) {

        static final Listing NONE = new Listing(Map.of(), Map.of(), Instant.EPOCH);

        public Listing {
            registered = Collections.unmodifiableMap(new LinkedHashMap<>(registered));
            probes = Map.copyOf(probes);
        }

        public Optional<Provider> registered(Address provider) {
            return Optional.ofNullable(registered.get(provider));
        }

        /** Its latency, empty when it was out of reach or not probed yet. */
        public OptionalLong latencyMs(Address provider) {
            LatencyProbe.Result probe = probes.get(provider);
            return probe == null ? OptionalLong.empty() : probe.millis();
        }
    }

    private final Supplier<List<Provider>> registry;
    private final Map<Address, String> configured;
    private final Clock clock;
    private final Executor background;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Listing current = Listing.NONE;

    /**
     * @param registry reads every registered provider from the market (an empty list without one); may throw
     * @param configured the peer endpoint of each provider this node is configured to buy from, probed there
     */
    public MarketDirectory(Supplier<List<Provider>> registry, Map<Address, String> configured, Clock clock,
                           Executor background) {
        this.registry = registry;
        this.configured = Map.copyOf(configured);
        this.clock = clock;
        this.background = background;
    }

    /** The latest listing; one older than {@link #FRESH_FOR} is read again in the background. */
    public Listing current() {
        Listing listing = current;
        if (!clock.instant().isBefore(listing.readAt().plus(FRESH_FOR)) && refreshing.compareAndSet(false, true)) {
            background.execute(() -> {
                try {
                    refresh();
                } finally {
                    refreshing.set(false);
                }
            });
        }
        return listing;
    }

    /** Reads the market and probes every provider now; the market's failure keeps what was registered before. */
    public Listing refresh() {
        Map<Address, Provider> registered = new LinkedHashMap<>();
        try {
            registry.get().stream().filter(Provider::registered).forEach(p -> registered.put(p.address(), p));
        } catch (RuntimeException e) {
            LOG.warn("reading the market's providers failed, keeping the last list: {}", e.getMessage());
            registered.putAll(current.registered());
        }
        Map<Address, String> endpoints = new LinkedHashMap<>();
        registered.values().forEach(p -> endpoints.put(p.address(), p.record().endpoint()));
        endpoints.putAll(configured); // what this node dials is what it measures
        List<Address> probed = new ArrayList<>(endpoints.keySet());
        List<LatencyProbe.Result> results = LatencyProbe.probeAll(probed.stream().map(endpoints::get).toList());
        Map<Address, LatencyProbe.Result> probes = new LinkedHashMap<>();
        for (int i = 0; i < probed.size(); i++) {
            probes.put(probed.get(i), results.get(i));
        }
        Listing listing = new Listing(registered, probes, clock.instant());
        current = listing;
        return listing;
    }
}
