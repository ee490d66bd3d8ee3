package io.turnpike.node.market;

import io.turnpike.chain.market.Plan;
import io.turnpike.chain.market.Provider;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.core.market.ProviderScore;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.ProviderPin;
import io.turnpike.node.control.ProviderView;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.payment.PaymentEngine;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Which provider each service this node buys goes to now: the operator's pin, else the best scored
 * ({@link ProviderScore}) of the connected providers that issued this node a session for it. A provider that refused
 * a proof or overcharged on its current connection comes after every other; one that disconnected serves nothing
 * until it is back. Each provider keeps its own debt in the {@link PaymentEngine}: moving new traffic elsewhere never
 * moves what is owed. Asked on every new connection and request, so it reads only what is in memory, and ranks the
 * providers again only when something the ranking reads has changed since it last ranked them: an offer, a
 * connection, a session, a history counter, a pin, the market's list or a latency probe.
 */
public final class ProviderChoice {

    private static final long MONTH_SECONDS = 30L * 24 * 60 * 60;

    private final Supplier<List<PaymentEngine.Bought>> bought;
    private final Map<Address, String> configured;
    private final Set<String> services;
    private final MarketDirectory directory;
    private final Supplier<Map<Address, ProviderHistory>> storedHistories;
    private final Asset asset;
    private final Function<List<ProviderScore.Candidate>, List<ProviderScore.Ranked>> scorer;
    /** Replaced whole, never changed in place, so that a choice can tell whether the pins changed since it was made. */
    private final AtomicReference<Map<String, Address>> pins;
    /** The choices made on the inputs last seen (none before the first); replaced only by {@link #choices()}. */
    private volatile Choices choices;

    /**
     * @param bought what the {@link PaymentEngine} knows of each provider it buys from, now
     * @param configured each provider of turnpike.client.providers, with the endpoint this node dials
     * @param services the services this node's local entries buy ({@code bandwidth}, {@code rpc})
     * @param pins the services turnpike.client configures to one provider
     * @param storedHistories the history of every provider on record, for those this node does not buy from now
     */
    public ProviderChoice(Supplier<List<PaymentEngine.Bought>> bought, Map<Address, String> configured,
                          Set<String> services, Map<String, Address> pins, MarketDirectory directory,
                          Supplier<Map<Address, ProviderHistory>> storedHistories, Asset asset) {
        this(bought, configured, services, pins, directory, storedHistories, asset, ProviderScore::rank);
    }

    /** With {@code scorer} ranking the candidates, so that a test can count how often they are ranked. */
    ProviderChoice(Supplier<List<PaymentEngine.Bought>> bought, Map<Address, String> configured, Set<String> services,
                   Map<String, Address> pins, MarketDirectory directory,
                   Supplier<Map<Address, ProviderHistory>> storedHistories, Asset asset,
                   Function<List<ProviderScore.Candidate>, List<ProviderScore.Ranked>> scorer) {
        this.bought = bought;
        this.configured = new LinkedHashMap<>(configured);
        this.services = Set.copyOf(services);
        this.directory = directory;
        this.storedHistories = storedHistories;
        this.asset = asset;
        this.scorer = scorer;
        this.pins = new AtomicReference<>(Map.copyOf(pins));
    }

    /** The provider new traffic of {@code service} goes to now, if one can take it; any thread. */
    public Optional<Address> chosen(String service) {
        Choices current = choices();
        Optional<Address> made = current.byService().get(service);
        if (made == null) {
            made = choose(service, current);
            current.byService().putIfAbsent(service, made);
        }
        return made;
    }

    /**
     * What the choice of a provider reads; equal inputs make the same choice. The listing's time of reading is left
     * out: a refresh that found the same providers at the same latencies changes nothing.
     */
    private record Inputs(List<PaymentEngine.Bought> bought, Map<Address, Provider> registered,
                          Map<Address, LatencyProbe.Result> probes, Map<String, Address> pins) {
    }

    /** The choice for each service asked about so far, made on {@code inputs}. */
    private record Choices(Inputs inputs, MarketDirectory.Listing listing, Map<String, Optional<Address>> byService) {
    }

    /**
     * The choices made on the inputs now: the last ones if nothing they read has changed, else new ones, empty. Two
     * threads that see different inputs may each replace them; a later call that sees other inputs than the ones kept
     * replaces them again, so no choice outlives a change.
     */
    private Choices choices() {
        MarketDirectory.Listing listing = directory.current();
        Inputs now = new Inputs(bought.get(), listing.registered(), listing.probes(), pins.get());
        Choices last = choices;
        if (last != null && last.inputs().equals(now)) {
            return last;
        }
        Choices fresh = new Choices(now, listing, new ConcurrentHashMap<>());
        choices = fresh;
        return fresh;
    }

    private Optional<Address> choose(String service, Choices on) {
        Map<Address, PaymentEngine.Bought> byAddress = byAddress(on.inputs().bought());
        Address pinned = on.inputs().pins().get(service);
        if (pinned != null) {
            return Optional.ofNullable(byAddress.get(pinned)).filter(state -> state.serves(service))
                    .map(PaymentEngine.Bought::provider);
        }
        List<ProviderScore.Ranked> ranked = rank(service, byAddress, on.listing(), Map.of());
        return ranked.stream().map(r -> byAddress.get(r.provider()))
                .filter(state -> state != null && state.serves(service))
                .min(Comparator.comparing(PaymentEngine.Bought::misbehaving)) // stable: keeps the ranking otherwise
                .map(PaymentEngine.Bought::provider);
    }

    /**
     * Pins {@code service} to {@code provider} (empty: chooses again) until the node stops.
     *
     * @throws ControlException {@code unknown_service} for a service this node does not buy; {@code unknown_peer} for
     *     a provider this node is not configured to buy from
     */
    public ProviderPin pin(String service, Optional<Address> provider) {
        if (!services.contains(service)) {
            throw new ControlException(ErrorCode.UNKNOWN_SERVICE, "this node buys no '" + service + "' through a "
                    + "local entry; " + (services.isEmpty() ? "it buys nothing through one"
                    : "it buys " + String.join(" and ", services.stream().sorted().toList())) + ".");
        }
        if (provider.isPresent() && !configured.containsKey(provider.get())) {
            throw new ControlException(ErrorCode.UNKNOWN_PEER, provider.get() + " is not one of "
                    + "turnpike.client.providers; add it there, with its url, to buy from it");
        }
        pins.updateAndGet(before -> {
            Map<String, Address> after = new HashMap<>(before);
            provider.ifPresentOrElse(p -> after.put(service, p), () -> after.remove(service));
            return Map.copyOf(after);
        });
        return new ProviderPin(service, provider, chosen(service));
    }

    /** Every provider known, configured or registered, best first, and the one each bought service uses now. */
    public ProvidersView view() {
        MarketDirectory.Listing listing = directory.current();
        Map<Address, PaymentEngine.Bought> byAddress = byAddress(bought.get());
        Map<Address, ProviderHistory> stored = storedHistories.get();
        SortedMap<String, Optional<Address>> chosen = new TreeMap<>();
        services.forEach(service -> chosen.put(service, chosen(service)));
        Set<Address> known = new LinkedHashSet<>(configured.keySet());
        known.addAll(listing.registered().keySet());
        Map<Address, Long> scores = new LinkedHashMap<>();
        for (String service : services(known, byAddress, listing)) {
            rank(service, byAddress, listing, stored).forEach(r -> scores.merge(r.provider(), r.score(), Math::max));
        }
        List<ProviderView> views = new ArrayList<>();
        for (Address provider : known) {
            PaymentEngine.Bought state = byAddress.get(provider);
            Optional<Provider> registered = listing.registered(provider);
            views.add(new ProviderView(provider,
                    Optional.ofNullable(configured.get(provider)).or(() -> registered.map(r -> r.record().endpoint())),
                    configured.containsKey(provider), registered.isPresent(), state != null && state.connected(),
                    prices(provider, byAddress, listing).entrySet().stream().map(e -> new ProviderView.Service(
                            e.getKey(), e.getValue().unit(), e.getValue().price())).toList(),
                    registered.map(r -> r.record().plans().stream().map(ProviderChoice::plan).toList())
                            .orElse(List.of()),
                    registered.map(Provider::committedStake), boxed(listing.latencyMs(provider)),
                    history(provider, byAddress, stored), scores.getOrDefault(provider, 0L),
                    chosen.entrySet().stream().filter(e -> e.getValue().equals(Optional.of(provider)))
                            .map(Map.Entry::getKey).toList()));
        }
        views.sort(Comparator.comparingLong(ProviderView::score).reversed().thenComparing(ProviderView::address));
        return new ProvidersView(views, chosen);
    }

    private static Map<Address, PaymentEngine.Bought> byAddress(List<PaymentEngine.Bought> bought) {
        Map<Address, PaymentEngine.Bought> byAddress = new LinkedHashMap<>();
        bought.forEach(state -> byAddress.put(state.provider(), state));
        return byAddress;
    }

    /** What a provider charges per unit of one service, and what the unit is. */
    private record Price(String unit, Amount price) {
    }

    /**
     * The services {@code provider} sells, at the prices of its latest offer when it made one (they bind), else at the
     * indicative prices of its market record that are in this node's asset.
     */
    private Map<String, Price> prices(Address provider, Map<Address, PaymentEngine.Bought> byAddress,
                                      MarketDirectory.Listing listing) {
        Map<String, Price> prices = new TreeMap<>();
        PaymentEngine.Bought state = byAddress.get(provider);
        if (state != null && !state.offered().isEmpty()) {
            state.offered().forEach(t -> prices.put(t.service(), new Price(t.unit(), t.pricePerUnit())));
            return prices;
        }
        listing.registered(provider).ifPresent(registered -> registered.record().services().stream()
                .filter(s -> s.asset().equals(asset.token()))
                .forEach(s -> prices.put(s.name(), new Price(s.unit(), s.pricePerUnit()))));
        return prices;
    }

    private List<String> services(Set<Address> known, Map<Address, PaymentEngine.Bought> byAddress,
                                  MarketDirectory.Listing listing) {
        Set<String> services = new LinkedHashSet<>();
        known.forEach(provider -> services.addAll(prices(provider, byAddress, listing).keySet()));
        return List.copyOf(services);
    }

    /** Every known provider that sells {@code service}, ranked; those not bought from with their stored history. */
    private List<ProviderScore.Ranked> rank(String service, Map<Address, PaymentEngine.Bought> byAddress,
                                            MarketDirectory.Listing listing, Map<Address, ProviderHistory> stored) {
        Set<Address> known = new LinkedHashSet<>(configured.keySet());
        known.addAll(listing.registered().keySet());
        List<ProviderScore.Candidate> candidates = new ArrayList<>();
        for (Address provider : known) {
            Price price = prices(provider, byAddress, listing).get(service);
            if (price == null && !(byAddress.containsKey(provider) && byAddress.get(provider).serves(service))) {
                continue;
            }
            candidates.add(new ProviderScore.Candidate(provider, Optional.ofNullable(price).map(Price::price),
                    listing.latencyMs(provider),
                    listing.registered(provider).map(Provider::committedStake).filter(stake -> !stake.isZero()),
                    history(provider, byAddress, stored)));
        }
        return scorer.apply(candidates);
    }

    private static ProviderHistory history(Address provider, Map<Address, PaymentEngine.Bought> byAddress,
                                           Map<Address, ProviderHistory> stored) {
        PaymentEngine.Bought state = byAddress.get(provider);
        return state != null ? state.history() : stored.getOrDefault(provider, ProviderHistory.CLEAN);
    }

    private static ProviderView.Plan plan(Plan plan) {
        // Rounded down; none for a plan without a period, or one whose month would not fit in a uint256.
        Optional<Amount> monthly = plan.periodSeconds() == 0 ? Optional.empty()
                : Optional.of(plan.pricePerPeriod().value().multiply(BigInteger.valueOf(MONTH_SECONDS))
                        .divide(BigInteger.valueOf(plan.periodSeconds())))
                        .filter(wei -> wei.compareTo(Amount.MAX_UINT256) <= 0).map(Amount::of);
        return new ProviderView.Plan(plan.planId(), plan.asset(), plan.pricePerPeriod(), plan.periodSeconds(), monthly);
    }

    private static Optional<Long> boxed(OptionalLong value) {
        return value.isPresent() ? Optional.of(value.getAsLong()) : Optional.empty();
    }
}
