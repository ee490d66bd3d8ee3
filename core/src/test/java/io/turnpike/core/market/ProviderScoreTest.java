package io.turnpike.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ProviderScoreTest {

    private static final Address A = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address B = Address.of("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    private static final Address C = Address.of("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
    private static final Amount ONE_ETHER = Amount.of(BigInteger.TEN.pow(18));

    /** The worked example of docs/operating.md, Choosing providers, figure for figure. */
    @Example
    void theWorkedExampleOfTheDocs() {
        ProviderScore.Candidate a = new ProviderScore.Candidate(A, Optional.of(Amount.of(20_000)), OptionalLong.of(12),
                Optional.of(ONE_ETHER), new ProviderHistory(0, 0, 2));
        ProviderScore.Candidate b = new ProviderScore.Candidate(B, Optional.of(Amount.of(25_000)), OptionalLong.empty(),
                Optional.of(Amount.of(500_000_000_000_000_000L)), ProviderHistory.CLEAN);

        assertThat(ProviderScore.rank(List.of(b, a))).extracting(ProviderScore.Ranked::provider,
                ProviderScore.Ranked::score).containsExactly(
                        tuple(A, 660L), tuple(B, 483L));
    }

    @Property(tries = 200)
    void theCheaperRanksFirstAllElseEqual(@ForAll("candidates") ProviderScore.Candidate like,
                                          @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long cheap,
                                          @ForAll @LongRange(min = 1, max = 1_000_000_000_000L) long more) {
        ProviderScore.Candidate cheaper = with(like, A, Optional.of(Amount.of(cheap)), ProviderHistory.CLEAN);
        ProviderScore.Candidate dearer = with(like, B, Optional.of(Amount.of(cheap + more)), ProviderHistory.CLEAN);

        List<ProviderScore.Ranked> ranked = ProviderScore.rank(List.of(dearer, cheaper));

        assertThat(ranked.getFirst().provider()).isEqualTo(A);
        assertThat(ranked.get(0).score()).isGreaterThan(ranked.get(1).score());
    }

    @Property(tries = 200)
    void misbehaviourLowersTheScoreAndNeverRaisesIt(@ForAll("candidates") ProviderScore.Candidate candidate,
                                                    @ForAll @IntRange(min = 0, max = 2) int kind,
                                                    @ForAll @LongRange(min = 1, max = 1000) long times) {
        ProviderHistory more = switch (kind) {
            case 0 -> new ProviderHistory(times, 0, 0);
            case 1 -> new ProviderHistory(0, times, 0);
            default -> new ProviderHistory(0, 0, times);
        };
        Optional<Amount> cheapest = candidate.price();
        long before = ProviderScore.score(candidate, cheapest);
        long after = ProviderScore.score(with(candidate, A, candidate.price(), candidate.history().plus(more)),
                cheapest);

        assertThat(after).isLessThanOrEqualTo(before);
        long clean = ProviderScore.score(with(candidate, A, candidate.price(), ProviderHistory.CLEAN), cheapest);
        long once = ProviderScore.score(with(candidate, A, candidate.price(), more), cheapest);
        if (clean > 0) {
            assertThat(once).isLessThan(clean);
        }
    }

    @Property(tries = 200)
    void stakeRaisesTheScore(@ForAll("candidates") ProviderScore.Candidate candidate,
                             @ForAll @LongRange(min = 1) long wei, @ForAll @LongRange(min = 0) long moreWei) {
        ProviderScore.Candidate clean = with(candidate, A, candidate.price(), ProviderHistory.CLEAN);
        ProviderScore.Candidate none = new ProviderScore.Candidate(A, clean.price(), clean.latencyMs(),
                Optional.empty(), clean.history());
        ProviderScore.Candidate some = new ProviderScore.Candidate(A, clean.price(), clean.latencyMs(),
                Optional.of(Amount.of(wei)), clean.history());
        ProviderScore.Candidate larger = new ProviderScore.Candidate(A, clean.price(), clean.latencyMs(),
                Optional.of(Amount.of(BigInteger.valueOf(wei).add(BigInteger.valueOf(moreWei)))), clean.history());

        assertThat(ProviderScore.score(some, clean.price())).isGreaterThan(ProviderScore.score(none, clean.price()));
        assertThat(ProviderScore.score(larger, clean.price())).isGreaterThanOrEqualTo(
                ProviderScore.score(some, clean.price()));
    }

    @Property(tries = 200)
    void aMeasuredLatencyRanksAboveAnUnknownOne(@ForAll("candidates") ProviderScore.Candidate like,
                                                @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long ms) {
        ProviderScore.Candidate measured = new ProviderScore.Candidate(B, like.price(), OptionalLong.of(ms),
                like.stake(), ProviderHistory.CLEAN);
        ProviderScore.Candidate unknown = new ProviderScore.Candidate(A, like.price(), OptionalLong.empty(),
                like.stake(), ProviderHistory.CLEAN);

        assertThat(ProviderScore.rank(List.of(unknown, measured)).getFirst().provider()).isEqualTo(B);
    }

    @Property(tries = 200)
    void theRankingDependsOnlyOnTheCandidatesNotOnTheirOrder(
            @ForAll("candidates") ProviderScore.Candidate a, @ForAll("candidates") ProviderScore.Candidate b,
            @ForAll("candidates") ProviderScore.Candidate c, @ForAll long seed) {
        List<ProviderScore.Candidate> candidates = new ArrayList<>(List.of(with(a, A, a.price(), a.history()),
                with(b, B, b.price(), b.history()), with(c, C, c.price(), c.history())));
        List<ProviderScore.Ranked> ranked = ProviderScore.rank(candidates);
        Collections.shuffle(candidates, new Random(seed));

        assertThat(ProviderScore.rank(candidates)).isEqualTo(ranked);
        for (int i = 1; i < ranked.size(); i++) {
            ProviderScore.Ranked before = ranked.get(i - 1);
            ProviderScore.Ranked after = ranked.get(i);
            assertThat(before.score()).isGreaterThanOrEqualTo(after.score());
            if (before.score() == after.score()) {
                assertThat(before.provider()).isLessThan(after.provider()); // equal scores: by address
            }
        }
    }

    @Example
    void equalCandidatesAreOrderedByAddress() {
        ProviderScore.Candidate b = new ProviderScore.Candidate(B, Optional.of(Amount.of(7)), OptionalLong.of(30),
                Optional.empty(), ProviderHistory.CLEAN);
        ProviderScore.Candidate a = with(b, A, b.price(), b.history());

        assertThat(ProviderScore.rank(List.of(b, a))).extracting(ProviderScore.Ranked::provider)
                .containsExactly(A, B);
    }

    @Provide
    Arbitrary<ProviderScore.Candidate> candidates() {
        Arbitrary<Optional<Amount>> price = Arbitraries.longs().between(0, 1_000_000_000_000L).map(Amount::of)
                .optional();
        Arbitrary<OptionalLong> latency = Arbitraries.longs().between(0, 60_000).optional()
                .map(ms -> ms.map(OptionalLong::of).orElse(OptionalLong.empty()));
        Arbitrary<Optional<Amount>> stake = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(24))
                .map(Amount::of).optional();
        Arbitrary<Long> count = Arbitraries.longs().between(0, 100);
        Arbitrary<ProviderHistory> history = Combinators.combine(count, count, count).as(ProviderHistory::new);
        return Combinators.combine(price, latency, stake, history)
                .as((p, l, s, h) -> new ProviderScore.Candidate(A, p, l, s, h));
    }

    private static ProviderScore.Candidate with(ProviderScore.Candidate like, Address provider, Optional<Amount> price,
                                                ProviderHistory history) {
        return new ProviderScore.Candidate(provider, price, like.latencyMs(), like.stake(), history);
    }
}
