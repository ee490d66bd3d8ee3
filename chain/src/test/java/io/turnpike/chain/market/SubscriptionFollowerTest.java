package io.turnpike.chain.market;

import static io.turnpike.chain.market.MarketFixture.ETHER_PLAN;
import static io.turnpike.chain.market.MarketFixture.MONTH;
import static io.turnpike.chain.market.MarketFixture.TOKEN_PLAN;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.MutableClock;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.TestStore;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.watch.WatchConfig;
import io.turnpike.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A provider's view of the subscriptions paid to it, on a real anvil with a real TurnpikeMarket, re-orgs included. */
class SubscriptionFollowerTest {

    private static final int CONFIRMATIONS = 3;

    @TempDir
    Path dir;
    private Anvil anvil;
    private MarketFixture f;
    private Store store;
    private WatchConfig from;

    @BeforeEach
    void deploy() {
        anvil = Anvil.start(SharedAnvil.CHAIN_ID); // its own: re-orgs and mined blocks must not reach other tests
        f = MarketFixture.deploy(anvil);
        from = WatchConfig.from(f.chain.head());
        f.registerProvider();
        store = TestStore.open(dir, f.provider.address(), SharedAnvil.CHAIN_ID, MutableClock.startingNow());
    }

    @AfterEach
    void stop() {
        store.close();
        anvil.close();
    }

    private SubscriptionFollower follower() {
        return new SubscriptionFollower(f.chain, f.market.address(), store, from, CONFIRMATIONS);
    }

    private OptionalLong bobsExpiry(SubscriptionFollower follower, long planId) {
        return follower.expiresAt(f.bob.address(), f.provider.address(), planId);
    }

    @Test
    void aSubscriptionIsHonouredOnceItIsConfirmationsDeepAndARenewalMovesItsExpiry() {
        SubscriptionFollower follower = follower();
        MarketContract.Subscription paid = f.aliceSubscribesBob(ETHER_PLAN, 3);

        follower.poll();
        assertThat(bobsExpiry(follower, ETHER_PLAN)).as("in the newest block: one confirmation").isEmpty();
        anvil.mine(CONFIRMATIONS - 2);
        follower.poll();
        assertThat(bobsExpiry(follower, ETHER_PLAN)).as("one confirmation short").isEmpty();
        anvil.mine();
        assertThat(follower.poll()).isEqualTo(1);
        assertThat(bobsExpiry(follower, ETHER_PLAN)).hasValue(paid.event().expiresAt());
        assertThat(bobsExpiry(follower, TOKEN_PLAN)).isEmpty();
        assertThat(follower.expiresAt(f.alice.address(), f.provider.address(), ETHER_PLAN)).as("the payer is not the "
                + "beneficiary").isEmpty();

        MarketContract.Subscription renewed = f.aliceSubscribesBob(ETHER_PLAN, 1);
        anvil.mine(CONFIRMATIONS - 1);
        follower.poll();
        assertThat(renewed.event().expiresAt()).isEqualTo(paid.event().expiresAt() + MONTH);
        assertThat(bobsExpiry(follower, ETHER_PLAN)).hasValue(renewed.event().expiresAt())
                .hasValue(f.expiryOfBob(ETHER_PLAN));
    }

    @Test
    void aRestartedFollowerKnowsWhatItReadWithoutReadingItAgain() {
        MarketContract.Subscription paid = f.aliceSubscribesBob(ETHER_PLAN, 2);
        anvil.mine(CONFIRMATIONS - 1);
        follower().poll();

        SubscriptionFollower restarted = follower();
        assertThat(bobsExpiry(restarted, ETHER_PLAN)).hasValue(paid.event().expiresAt());
        assertThat(restarted.poll()).as("resumed after the stored cursor").isZero();
    }

    @Test
    void aSubscriptionReorganisedOutOfTheChainIsRevoked() {
        SubscriptionFollower follower = follower();
        MarketContract.Subscription kept = f.aliceSubscribesBob(TOKEN_PLAN, 1);
        anvil.mine(CONFIRMATIONS);
        MarketContract.Subscription lost = f.aliceSubscribesBob(ETHER_PLAN, 3);
        anvil.mine(CONFIRMATIONS - 1);
        follower.poll();
        assertThat(bobsExpiry(follower, ETHER_PLAN)).hasValue(lost.event().expiresAt());

        anvil.reorg(CONFIRMATIONS + 1, List.of()); // the subscription's block and every block on top, replaced empty
        anvil.mine(CONFIRMATIONS);
        follower.poll();

        assertThat(f.expiryOfBob(ETHER_PLAN)).as("the chain no longer holds it").isZero();
        assertThat(bobsExpiry(follower, ETHER_PLAN)).isEmpty();
        assertThat(bobsExpiry(follower, TOKEN_PLAN)).as("below the re-org").hasValue(kept.event().expiresAt());
        assertThat(bobsExpiry(follower(), ETHER_PLAN)).as("and after a restart").isEmpty();
    }
}
