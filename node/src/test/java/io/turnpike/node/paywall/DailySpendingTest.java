package io.turnpike.node.paywall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.PaywallSpending;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The day's spending in the node's store: its caps, and the file an earlier version kept it in, carried over once. */
class DailySpendingTest {

    private static final Instant NOON = Instant.parse("2026-12-06T12:00:00Z");
    private static final LocalDate TODAY = LocalDate.ofInstant(NOON, ZoneOffset.UTC);
    private static final NodeIdentity IDENTITY = new NodeIdentity(
            Address.of("0x1111111111111111111111111111111111111111"), 31337,
            Address.of("0x4444444444444444444444444444444444444444"));
    private static final NodeConfig.PaywallCaps CAPS = new NodeConfig.PaywallCaps(Amount.of(100), Amount.of(250));

    @TempDir
    Path dataDirectory;

    @Test
    void paymentsCountTowardsTheDayUntilTheCapAndARefusedOneChangesNothingStored() {
        try (Store store = Store.open(StoreConfig.sqlite(dataDirectory), IDENTITY)) {
            DailySpending spending = DailySpending.of(store, dataDirectory, Clock.fixed(NOON, ZoneOffset.UTC));
            spending.spendAlone(Amount.of(100), CAPS, "GET /a");
            spending.spendAlone(Amount.of(100), CAPS, "GET /a");

            assertThatThrownBy(() -> spending.spendAlone(Amount.of(51), CAPS, "GET /b"))
                    .hasMessageContaining("with the 200 paid today").hasMessageContaining("max-per-day")
                    .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED);
            assertThatThrownBy(() -> spending.spend(Amount.of(101), CAPS, "GET /c"))
                    .hasMessageContaining("max-per-request");

            assertThat(PaywallSpending.of(store).spentOn(TODAY)).isEqualTo(Amount.of(200));
            spending.spendAlone(Amount.of(50), CAPS, "GET /b");
            assertThat(spending.spentToday()).isEqualTo(Amount.of(250));
        }
    }

    @Test
    void todaysFigureInTheOldFileIsCarriedOverOnceAndTheFileGoes() throws Exception {
        Path old = dataDirectory.resolve(DailySpending.OLD_FILE);
        Files.writeString(old, TODAY + " 230\n");
        try (Store store = Store.open(StoreConfig.sqlite(dataDirectory), IDENTITY)) {
            Clock clock = Clock.fixed(NOON, ZoneOffset.UTC);
            DailySpending spending = DailySpending.of(store, dataDirectory, clock);

            assertThat(old).doesNotExist();
            assertThat(spending.spentToday()).isEqualTo(Amount.of(230));
            assertThatThrownBy(() -> spending.spendAlone(Amount.of(21), CAPS, "GET /a"))
                    .hasMessageContaining("max-per-day");

            // A crash between the write and the delete leaves the file to be carried over again: it counts once.
            Files.writeString(old, TODAY + " 230\n");
            assertThat(DailySpending.of(store, dataDirectory, clock).spentToday()).isEqualTo(Amount.of(230));
        }
    }

    @Test
    void anOldFileOfAnotherDayCountsNothingAndGoes() throws Exception {
        Path old = dataDirectory.resolve(DailySpending.OLD_FILE);
        Files.writeString(old, TODAY.minusDays(1) + " 230\n");
        try (Store store = Store.open(StoreConfig.sqlite(dataDirectory), IDENTITY)) {
            DailySpending spending = DailySpending.of(store, dataDirectory, Clock.fixed(NOON, ZoneOffset.UTC));

            assertThat(old).doesNotExist();
            assertThat(spending.spentToday()).isEqualTo(Amount.ZERO);
            assertThat(PaywallSpending.of(store).spentOn(TODAY.minusDays(1))).isEqualTo(Amount.ZERO);
        }
    }
}
