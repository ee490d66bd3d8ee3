package io.turnpike.store;

import static io.turnpike.store.Fixtures.MAX;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

class LedgerStoreTest {

    private static final LedgerKey THEY_OWE = new LedgerKey(PARTNER, Address.ZERO, Debtor.PEER);
    private static final LedgerKey WE_OWE = new LedgerKey(PARTNER, Address.ZERO, Debtor.US);

    @ForAllDbs
    void aDirectionNeverAdjustedIsZero(TestDatabase db) {
        try (Store store = db.open()) {
            assertThat(store.ledger().get(THEY_OWE)).isEqualTo(LedgerBalance.ZERO);
            assertThat(store.ledger().all()).isEmpty();
        }
    }

    @ForAllDbs
    void adjustmentsAreExactUpTo2Pow256Minus1(TestDatabase db) {
        try (Store store = db.open()) {
            LedgerBalance afterUse = store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(MAX.value()));
            LedgerBalance afterPayment = store.ledger().adjust(THEY_OWE,
                    LedgerDelta.NONE.withInFlight(BigInteger.TEN).withCredit(BigInteger.ONE));
            LedgerBalance acknowledged = store.ledger().adjust(THEY_OWE,
                    LedgerDelta.NONE.withInFlight(BigInteger.TEN.negate()).withPaid(BigInteger.TEN));

            assertThat(afterUse).isEqualTo(new LedgerBalance(MAX, Amount.ZERO, Amount.ZERO, Amount.ZERO));
            assertThat(afterPayment).isEqualTo(new LedgerBalance(MAX, Amount.ZERO, Amount.of(10), Amount.of(1)));
            assertThat(acknowledged).isEqualTo(new LedgerBalance(MAX, Amount.of(10), Amount.ZERO, Amount.of(1)));
            assertThat(store.ledger().get(THEY_OWE)).isEqualTo(acknowledged);
            assertThat(store.ledger().get(WE_OWE)).isEqualTo(LedgerBalance.ZERO);
        }
    }

    @ForAllDbs
    void earningsAddUpPerDayAndServiceWithTheUsageTheyCameWithOrNotAtAll(TestDatabase db) {
        LocalDate monday = LocalDate.of(2026, 11, 23);
        try (Store store = db.open()) {
            store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(BigInteger.valueOf(30)),
                    List.of(new DailyEarning(monday, "bandwidth", Address.ZERO, Amount.of(10)),
                            new DailyEarning(monday, "rpc", Address.ZERO, Amount.of(20))));
            store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(BigInteger.valueOf(5)),
                    List.of(new DailyEarning(monday, "bandwidth", Address.ZERO, Amount.of(5))));
            store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(BigInteger.ONE),
                    List.of(new DailyEarning(monday.plusDays(1), "bandwidth", Address.ZERO, Amount.of(1))));
            // A usage the ledger refuses books no earning either.
            assertThatThrownBy(() -> store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(MAX.value()),
                    List.of(new DailyEarning(monday, "rpc", Address.ZERO, Amount.of(7)))))
                    .isInstanceOf(ArithmeticException.class);

            assertThat(store.ledger().earningsSince(monday)).containsExactly(
                    new DailyEarning(monday, "bandwidth", Address.ZERO, Amount.of(15)),
                    new DailyEarning(monday, "rpc", Address.ZERO, Amount.of(20)),
                    new DailyEarning(monday.plusDays(1), "bandwidth", Address.ZERO, Amount.of(1)));
            assertThat(store.ledger().earningsSince(monday.plusDays(1))).hasSize(1);
            assertThat(store.ledger().get(THEY_OWE).used()).isEqualTo(Amount.of(36));
        }
    }

    @ForAllDbs
    void anAdjustmentBelowZeroIsRefusedAndChangesNothing(TestDatabase db) {
        try (Store store = db.open()) {
            LedgerBalance before = store.ledger().adjust(WE_OWE, LedgerDelta.NONE.withUsed(BigInteger.valueOf(5)));

            assertThatThrownBy(() -> store.ledger().adjust(WE_OWE,
                    LedgerDelta.NONE.withUsed(BigInteger.ONE).withPaid(BigInteger.valueOf(-1))))
                    .isInstanceOf(ArithmeticException.class)
                    .hasMessageContaining("nothing changed");
            assertThatThrownBy(() -> store.ledger().adjust(WE_OWE, LedgerDelta.NONE.withUsed(MAX.value())))
                    .isInstanceOf(ArithmeticException.class);

            assertThat(store.ledger().get(WE_OWE)).isEqualTo(before);
        }
    }

    @ForAllDbs
    void concurrentAdjustmentsAllCount(TestDatabase db) throws Exception {
        int writers = 16;
        int adjustmentsEach = 25;
        try (Store store = db.open()) {
            concurrently(writers, writer -> () -> {
                for (int i = 0; i < adjustmentsEach; i++) {
                    store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(BigInteger.valueOf(writer + 1)));
                }
                return null;
            });

            long expected = (long) adjustmentsEach * writers * (writers + 1) / 2;
            assertThat(store.ledger().get(THEY_OWE).used()).isEqualTo(Amount.of(expected));
        }
    }

    @ForAllDbs
    void allListsEveryDirectionPerPeerAndAsset(TestDatabase db) {
        try (Store store = db.open()) {
            LedgerKey token = new LedgerKey(PARTNER, Fixtures.TOKEN, Debtor.PEER);
            store.ledger().adjust(THEY_OWE, LedgerDelta.NONE.withUsed(BigInteger.ONE));
            store.ledger().adjust(WE_OWE, LedgerDelta.NONE.withCredit(BigInteger.TWO));
            store.ledger().adjust(token, LedgerDelta.NONE.withPaid(BigInteger.TEN));

            Map<LedgerKey, LedgerBalance> all = store.ledger().all();

            assertThat(all).containsOnlyKeys(THEY_OWE, WE_OWE, token);
            assertThat(all.get(WE_OWE).credit()).isEqualTo(Amount.of(2));
            assertThat(all.get(token).paid()).isEqualTo(Amount.of(10));
        }
    }
}
