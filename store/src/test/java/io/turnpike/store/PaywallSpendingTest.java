package io.turnpike.store;

import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.concurrently;
import static io.turnpike.store.Fixtures.openChannelHolding;
import static io.turnpike.store.Fixtures.proof;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Channel;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Function;

class PaywallSpendingTest {

    private static final LocalDate DAY = LocalDate.of(2026, 12, 6);
    private static final LedgerKey WE_OWE = new LedgerKey(PARTNER, Address.ZERO, Debtor.US);
    private static final Function<Amount, RuntimeException> OVER = spent ->
            new TurnpikeException(ErrorCode.SPENDING_CAP_EXCEEDED, "over the cap with " + spent + " paid today");

    @ForAllDbs
    void paymentsAddUpPerDayUpToTheCapAndARefusedOneCountsNothing(TestDatabase db) {
        try (Store store = db.open()) {
            PaywallSpending spending = PaywallSpending.of(store);
            spending.write(spending.spend(DAY, Amount.of(60), Amount.of(100), OVER));
            spending.write(spending.spend(DAY.plusDays(1), Amount.of(7), Amount.of(100), OVER));

            assertThatThrownBy(() -> spending.write(spending.spend(DAY, Amount.of(41), Amount.of(100), OVER)))
                    .isInstanceOf(TurnpikeException.class).hasMessage("over the cap with 60 paid today");
            spending.write(spending.spend(DAY, Amount.of(40), Amount.of(100), OVER));

            assertThat(spending.spentOn(DAY)).isEqualTo(Amount.of(100));
            assertThat(spending.spentOn(DAY.plusDays(1))).isEqualTo(Amount.of(7));
            assertThat(spending.spentOn(DAY.minusDays(1))).isEqualTo(Amount.ZERO);
        }
    }

    @ForAllDbs
    void ofPaymentsAtOnceOnlyThoseThatFitUnderTheCapTogetherPass(TestDatabase db) throws Exception {
        try (Store store = db.open()) {
            PaywallSpending spending = PaywallSpending.of(store);

            List<Boolean> passed = concurrently(16, n -> () -> {
                try {
                    spending.write(spending.spend(DAY, Amount.of(10), Amount.of(50), OVER));
                    return true;
                } catch (TurnpikeException refused) {
                    return false;
                }
            });

            assertThat(passed.stream().filter(p -> p).count()).isEqualTo(5);
            assertThat(spending.spentOn(DAY)).isEqualTo(Amount.of(50));
        }
    }

    @ForAllDbs
    void aChannelWrittenWithItsPaymentsStoresAllOfThemOrNoneIfTheCapRefuses(TestDatabase db) {
        try (Store store = db.open()) {
            PaywallSpending spending = PaywallSpending.of(store);
            Channel first = openChannelHolding(1, PARTNER, proof(1));
            store.channels().put(first, List.of(spending.spend(DAY, Amount.of(30), Amount.of(50), OVER),
                    store.ledger().adjustment(WE_OWE, LedgerDelta.NONE.withUsed(BigInteger.valueOf(30)), List.of())));

            Channel second = openChannelHolding(1, PARTNER, proof(2));
            assertThatThrownBy(() -> store.channels().put(second, List.of(
                    store.ledger().adjustment(WE_OWE, LedgerDelta.NONE.withUsed(BigInteger.valueOf(30)), List.of()),
                    spending.spend(DAY, Amount.of(30), Amount.of(50), OVER))))
                    .hasMessage("over the cap with 30 paid today");

            assertThat(store.channels().get(first.ref())).contains(first);
            assertThat(store.ledger().get(WE_OWE).used()).isEqualTo(Amount.of(30));
            assertThat(spending.spentOn(DAY)).isEqualTo(Amount.of(30));
        }
    }

    @ForAllDbs
    void aFigureCarriedOverCountsOnceHoweverOftenItIs(TestDatabase db) {
        try (Store store = db.open()) {
            PaywallSpending spending = PaywallSpending.of(store);
            spending.carryOver(DAY, Amount.of(25));
            spending.carryOver(DAY, Amount.of(25));
            assertThat(spending.spentOn(DAY)).isEqualTo(Amount.of(25));

            spending.write(spending.spend(DAY, Amount.of(10), Amount.of(100), OVER));
            spending.carryOver(DAY, Amount.of(25));
            assertThat(spending.spentOn(DAY)).isEqualTo(Amount.of(35));
        }
    }
}
