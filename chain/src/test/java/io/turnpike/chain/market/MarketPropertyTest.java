package io.turnpike.chain.market;

import static io.turnpike.chain.market.MarketFixture.ETHER_PLAN;
import static io.turnpike.chain.market.MarketFixture.MONTH;
import static io.turnpike.chain.market.MarketFixture.MONTHLY_FEE;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.market.MarketContract.Subscription;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Expiry arithmetic over random histories of subscriptions, renewals and time passing, on a real anvil, against a
 * Java model of the rule: per (beneficiary, provider, plan), {@code expiry = max(now, expiry) + periods × period},
 * where now is the timestamp of the block the subscription is mined in. Every try subscribes fresh beneficiaries, so
 * it starts from no subscription at all.
 */
class MarketPropertyTest {

    private static final long DAY_PLAN = 3;
    private static final long DAY = 24 * 3600;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MarketFixture f;
    private List<Plan> plans;

    @BeforeProperty
    void deploy() {
        f = MarketFixture.deploy(SharedAnvil.get());
        plans = List.of(MarketFixture.etherPlan(MONTHLY_FEE), new Plan(DAY_PLAN, Address.ZERO, Amount.of(7_777), DAY));
        f.market.register(f.provider, new ProviderRecord(f.record().endpoint(), List.of(), plans), Amount.ZERO);
    }

    @Property(tries = 25)
    void everySubscriptionRunsOnFromTheLaterOfNowAndItsOldExpiry(@ForAll("histories") List<Step> history) {
        List<Address> beneficiaries = List.of(fresh(), fresh());
        Map<Key, Long> model = new HashMap<>();
        Amount providerBefore = f.provider.balance();
        Amount paid = Amount.ZERO;

        for (Step step : history) {
            switch (step) {
                case Wait(long seconds) -> f.anvil.advanceTime(seconds);
                case Subscribe(int beneficiary, int planIndex, long periods) -> {
                    Plan plan = plans.get(planIndex);
                    Key key = new Key(beneficiary, plan.planId());
                    Subscription s = f.market.subscribe(f.alice, f.provider.address(), plan, periods,
                            beneficiaries.get(beneficiary));
                    long now = f.blockTime(s.receipt());
                    long expected = Math.max(now, model.getOrDefault(key, 0L)) + periods * plan.periodSeconds();
                    model.put(key, expected);
                    paid = paid.plus(plan.priceFor(periods));

                    assertThat(s.event().expiresAt()).isEqualTo(expected);
                    assertThat(s.event().paid()).isEqualTo(plan.priceFor(periods));
                }
            }
        }

        for (int b = 0; b < beneficiaries.size(); b++) {
            for (Plan plan : plans) {
                assertThat(f.market.expiresAt(beneficiaries.get(b), f.provider.address(), plan.planId()))
                        .as("beneficiary %d, plan %d", b, plan.planId())
                        .isEqualTo(model.getOrDefault(new Key(b, plan.planId()), 0L));
            }
        }
        assertThat(f.provider.balance()).isEqualTo(providerBefore.plus(paid));
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> subscribe = Combinators.combine(Arbitraries.integers().between(0, 1),
                Arbitraries.integers().between(0, 1),
                Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(1, 12)),
                        Tuple.of(1, Arbitraries.longs().between(1, MarketContract.MAX_PERIODS))))
                .as(Subscribe::new);
        Arbitrary<Step> wait = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1, DAY)), // well inside a running subscription
                Tuple.of(2, Arbitraries.longs().between(DAY, 4 * MONTH))) // often past its end
                .map(Wait::new);
        return Arbitraries.frequencyOf(Tuple.of(3, subscribe), Tuple.of(2, wait)).list().ofMinSize(1).ofMaxSize(8);
    }

    private static Address fresh() {
        return PrivateKey.random(RANDOM).address();
    }

    sealed interface Step permits Subscribe, Wait {
    }

    /** Alice pays for {@code periods} periods of a plan for one of the two beneficiaries. */
    record Subscribe(int beneficiary, int planIndex, long periods) implements Step {
    }

    /** The chain's clock moves on. */
    record Wait(long seconds) implements Step {
    }

    private record Key(int beneficiary, long planId) {
    }
}
