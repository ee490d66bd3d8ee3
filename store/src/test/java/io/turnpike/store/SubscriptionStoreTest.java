package io.turnpike.store;

import static io.turnpike.store.Fixtures.CONTRACT;
import static io.turnpike.store.Fixtures.NODE;
import static io.turnpike.store.Fixtures.OTHER_PARTNER;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.TOKEN;
import static io.turnpike.store.Fixtures.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;

/** The subscriptions a provider read from the market, kept across restarts and forgotten block by block on a re-org. */
class SubscriptionStoreTest {

    private static ObservedSubscription at(long block, long logIndex, long expiresAt) {
        return new ObservedSubscription(new BlockRef(block, hash("block " + block)), logIndex, PARTNER, OTHER_PARTNER,
                NODE, 1, 3, Amount.of(30), expiresAt);
    }

    @ForAllDbs
    void eventsAreKeptOncePerMarketAndForgottenFromAReorganisedBlockOn(TestDatabase db) {
        try (Store store = db.open()) {
            SubscriptionStore subscriptions = SubscriptionStore.of(store);
            subscriptions.record(CONTRACT, at(10, 0, 1_000));
            subscriptions.record(CONTRACT, at(10, 0, 1_000));
            subscriptions.record(CONTRACT, at(12, 3, 2_000));
            subscriptions.record(CONTRACT, at(15, 1, 3_000));
            subscriptions.record(TOKEN, at(15, 1, 3_000));

            subscriptions.forgetFrom(CONTRACT, 12);

            assertThat(subscriptions.all(CONTRACT)).containsExactly(at(10, 0, 1_000));
            assertThat(subscriptions.all(TOKEN)).containsExactly(at(15, 1, 3_000));
        }
        try (Store reopened = db.open()) {
            assertThat(SubscriptionStore.of(reopened).all(CONTRACT)).containsExactly(at(10, 0, 1_000));
        }
    }
}
