package io.turnpike.core.market;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a client ranks the providers that sell one service, in whole numbers only (docs/operating.md, Choosing
 * providers): up to {@value #PRICE_POINTS} points for the price against the cheapest candidate's, up to
 * {@value #LATENCY_POINTS} for a short measured latency and up to {@value #STAKE_POINTS} for stake, all divided down
 * by what this node itself saw the provider do wrong. A provider with no measured latency, no stake or no known price
 * gets none of those points, so whatever is unknown ranks below whatever is measured.
 */
public final class ProviderScore {

    public static final long PRICE_POINTS = 500;
    public static final long LATENCY_POINTS = 250;
    public static final long STAKE_POINTS = 250;
    /** The latency that earns half the latency points. */
    public static final long HALF_LATENCY_MS = 50;
    /** The stake that earns half the stake points: 1 ether, in wei. */
    public static final BigInteger HALF_STAKE = BigInteger.TEN.pow(18);
    /** The weight of a clean record; each misbehaviour adds its own weight below the divisor. */
    public static final long CLEAN_WEIGHT = 8;
    public static final long UNDELIVERED_WEIGHT = 8;
    public static final long REFUSED_PROOF_WEIGHT = 4;
    public static final long DISCONNECT_WEIGHT = 1;
    /** Counters beyond this change nothing any more (and cannot overflow the arithmetic). */
    private static final long COUNT_CAP = 1_000_000_000L;

    private ProviderScore() {
    }

    /**
     * One provider as a candidate for one service.
     *
     * @param price what it charges per unit of the service, in the node's asset (empty when unknown)
     * @param latencyMs its measured latency (empty when not measured or out of reach)
     * @param stake its committed stake in the market, in wei (empty when it has none there)
     */
    public record Candidate(Address provider, Optional<Amount> price, OptionalLong latencyMs, Optional<Amount> stake,
                            ProviderHistory history) {

        public Candidate {
            Objects.requireNonNull(provider, "provider");
            Objects.requireNonNull(price, "price");
            Objects.requireNonNull(latencyMs, "latencyMs");
            Objects.requireNonNull(stake, "stake");
            Objects.requireNonNull(history, "history");
        }
    }

    /** A candidate with its score. */
    public record Ranked(Candidate candidate, long score) {

        public Address provider() {
            return candidate.provider();
        }
    }

    /** The candidates best first: by score, equal scores by address, so every node orders them the same way. */
    public static List<Ranked> rank(List<Candidate> candidates) {
        Optional<Amount> cheapest = candidates.stream().flatMap(c -> c.price().stream()).min(Comparator.naturalOrder());
        return candidates.stream().map(c -> new Ranked(c, score(c, cheapest)))
                .sorted(Comparator.comparingLong(Ranked::score).reversed().thenComparing(Ranked::provider))
                .toList();
    }

    /** {@code candidate}'s score when the cheapest price among its rivals (itself included) is {@code cheapest}. */
    public static long score(Candidate candidate, Optional<Amount> cheapest) {
        long points = pricePoints(candidate.price(), cheapest) + latencyPoints(candidate.latencyMs())
                + stakePoints(candidate.stake());
        ProviderHistory history = candidate.history();
        long weight = CLEAN_WEIGHT + UNDELIVERED_WEIGHT * capped(history.undelivered())
                + REFUSED_PROOF_WEIGHT * capped(history.refusedProofs())
                + DISCONNECT_WEIGHT * capped(history.disconnects());
        return points * CLEAN_WEIGHT / weight;
    }

    /** All the points for the cheapest (and for a free one), fewer in proportion as the price is higher. */
    static long pricePoints(Optional<Amount> price, Optional<Amount> cheapest) {
        if (price.isEmpty()) {
            return 0;
        }
        if (price.get().isZero()) {
            return PRICE_POINTS;
        }
        BigInteger floor = cheapest.orElseThrow().value();
        return BigInteger.valueOf(PRICE_POINTS).multiply(floor).divide(price.get().value()).longValueExact();
    }

    /** All the points at 0 ms, half at {@link #HALF_LATENCY_MS}; at least one for any measured latency. */
    static long latencyPoints(OptionalLong latencyMs) {
        if (latencyMs.isEmpty()) {
            return 0;
        }
        long ms = Math.min(Math.max(latencyMs.getAsLong(), 0), COUNT_CAP);
        return Math.max(1, LATENCY_POINTS * HALF_LATENCY_MS / (HALF_LATENCY_MS + ms));
    }

    /** Half the points at {@link #HALF_STAKE}, approaching all of them above; at least one for any stake. */
    static long stakePoints(Optional<Amount> stake) {
        if (stake.isEmpty() || stake.get().isZero()) {
            return 0;
        }
        BigInteger wei = stake.get().value();
        return Math.max(1, BigInteger.valueOf(STAKE_POINTS).multiply(wei).divide(wei.add(HALF_STAKE)).longValueExact());
    }

    private static long capped(long count) {
        return Math.min(count, COUNT_CAP);
    }
}
