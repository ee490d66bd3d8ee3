package io.turnpike.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.market.ProviderHistory;
import java.util.Map;

class ProviderHistoryStoreTest {

    private static final Address CHEAT = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address FLAKY = Address.of("0x90F79bf6EB2c4f870365E785982E1f101E93b906");

    @ForAllDbs
    void eachProvidersCountersAddUpAndOutliveARestart(TestDatabase db) {
        try (Store store = db.open()) {
            ProviderHistoryStore history = ProviderHistoryStore.of(store);
            assertThat(history.all()).isEmpty();

            history.add(CHEAT, new ProviderHistory(1, 0, 0));
            history.add(FLAKY, new ProviderHistory(0, 0, 1));
            assertThat(history.add(CHEAT, new ProviderHistory(0, 2, 1))).isEqualTo(new ProviderHistory(1, 2, 1));
            history.add(FLAKY, new ProviderHistory(0, 0, 1));
        }
        try (Store reopened = db.open()) {
            assertThat(ProviderHistoryStore.of(reopened).all()).isEqualTo(Map.of(
                    CHEAT, new ProviderHistory(1, 2, 1),
                    FLAKY, new ProviderHistory(0, 0, 2)));
        }
    }
}
