package io.turnpike.mailbox;

import static io.turnpike.chain.market.MarketFixture.ETHER_PLAN;
import static io.turnpike.chain.market.MarketFixture.MONTH;
import static io.turnpike.mailbox.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.turnpike.chain.MutableClock;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.TestStore;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.MarketFixture;
import io.turnpike.chain.market.SubscriptionFollower;
import io.turnpike.chain.watch.WatchConfig;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.crypto.Ecies;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.mailbox.client.Letter;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.store.Store;
import io.turnpike.store.StoredEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paid mail server end to end, on a real anvil with a real TurnpikeMarket: Alice pays for Bob's mailbox, the
 * provider honours the subscription once the chain has confirmed it, Carol's sealed mail waits for Bob, and the
 * mailbox follows the subscription through expiry, grace, renewal and erasure.
 */
class SubscribedMailboxTest {

    private static final int CONFIRMATIONS = 2;
    private static final Duration GRACE = Duration.ofDays(7);
    private static final MailboxConfig CONFIG = MailboxConfig.subscriptions(
            Map.of(ETHER_PLAN, MailboxTerms.days(90, 64 * 1024)), MailboxTerms.days(30, 16 * 1024)).withGrace(GRACE);
    private static final byte[] LETTER = "Bob, the keys are under the blue flowerpot. Carol".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECOND = "Bob, did you find them? Carol".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private Anvil anvil;
    private MarketFixture f;
    private MutableClock clock;
    private SubscriptionFollower follower;
    private MailboxHarness provider;
    private MailboxClient client;
    private PrivateKey bobKey;
    private Address bob;

    @BeforeEach
    void start() {
        anvil = Anvil.start(SharedAnvil.CHAIN_ID); // its own: the test moves the chain's clock by months
        f = MarketFixture.deploy(anvil);
        WatchConfig from = WatchConfig.from(f.chain.head());
        f.registerProvider();
        bobKey = anvil.devKeys().get(7);
        bob = bobKey.address();
        clock = new MutableClock(Instant.ofEpochSecond(chainNow()));
        Address self = f.provider.address();
        Store store = TestStore.open(dir, self, SharedAnvil.CHAIN_ID, clock);
        follower = new SubscriptionFollower(f.chain, f.market.address(), store, from, CONFIRMATIONS);
        provider = new MailboxHarness(store, self, Eip712Domain.turnpike(SharedAnvil.CHAIN_ID, f.market.address()),
                CONFIG, Subscriptions.following(follower, self), ChannelPayments.NONE, clock);
        client = provider.client;
    }

    @AfterEach
    void stop() {
        provider.close();
        anvil.close();
    }

    @Test
    void aSubscribedMailboxIsServedUntilExpiryReadInGraceServedAgainWhenRenewedAndErasedAfterGrace() {
        PublicKey bobsKey = PublicKey.of(bobKey);
        byte[] early = Ecies.seal(bobsKey, LETTER, new SecureRandom());
        refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.deliver(bob, early));

        MarketContract.Subscription paid = f.aliceSubscribesBob(ETHER_PLAN, 3);
        follower.poll();
        String unconfirmed = refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.deliver(bob, early));
        assertThat(unconfirmed).as("says how to subscribe").contains("turnpike subscribe " + f.provider.address()
                + " --plan " + ETHER_PLAN);
        confirm();

        // Bob reads once, so the provider learns his key; Carol seals to it, having checked it is Bob's.
        assertThat(client.read(bobKey, 0, 10)).isEmpty();
        assertThat(client.keyOf(bob)).isEqualTo(bobsKey);
        long id = client.send(bob, client.keyOf(bob), LETTER);
        MailboxMessages.Fetched served = client.fetch(client.signFetch(bobKey, 0, 10));
        assertThat(served.status().status()).isEqualTo("open");
        assertThat(served.status().until()).contains(Instant.ofEpochSecond(paid.event().expiresAt()));
        assertThat(client.read(bobKey, 0, 10)).extracting(Letter::id, Letter::message)
                .containsExactly(tuple(id, LETTER));

        assertThat(StoredFiles.anyHolds(dir, served.envelopes().getFirst().envelope()))
                .as("the grep sees what the mailbox stored").isTrue();
        assertThat(StoredFiles.anyHolds(dir, LETTER)).as("but never the letter itself").isFalse();

        travelTo(paid.event().expiresAt() + 1);
        String expired = refused(ErrorCode.SUBSCRIPTION_EXPIRED, () -> client.send(bob, bobsKey, SECOND));
        assertThat(expired).contains("expired at " + Instant.ofEpochSecond(paid.event().expiresAt()))
                .contains("turnpike subscribe " + f.provider.address() + " --plan " + ETHER_PLAN + " --months N")
                .contains("until " + Instant.ofEpochSecond(paid.event().expiresAt()).plus(GRACE));
        MailboxMessages.Fetched inGrace = client.fetch(client.signFetch(bobKey, 0, 10));
        assertThat(inGrace.status().status()).isEqualTo("grace");
        assertThat(inGrace.envelopes()).extracting(StoredEnvelope::id).containsExactly(id);

        MarketContract.Subscription renewed = f.aliceSubscribesBob(ETHER_PLAN, 1);
        confirm();
        assertThat(renewed.event().expiresAt()).as("a lapsed subscription runs from the renewal")
                .isEqualTo(f.blockTime(renewed.receipt()) + MONTH);
        long second = client.send(bob, bobsKey, SECOND);
        assertThat(second).isGreaterThan(id);
        MarketContract.Subscription extended = f.aliceSubscribesBob(ETHER_PLAN, 2);
        confirm();
        assertThat(extended.event().expiresAt()).as("a running one is extended from its expiry")
                .isEqualTo(renewed.event().expiresAt() + 2 * MONTH);
        assertThat(client.fetch(client.signFetch(bobKey, id, 10)).status().until())
                .contains(Instant.ofEpochSecond(extended.event().expiresAt()));
        assertThat(client.read(bobKey, 0, 10)).extracting(Letter::message).containsExactly(LETTER, SECOND);

        travelTo(Instant.ofEpochSecond(extended.event().expiresAt()).plus(GRACE).getEpochSecond());
        assertThat(provider.mailbox.sweep().mailboxesErased()).isEqualTo(1);
        assertThat(provider.mailboxes.usage(bob).storedBytes()).isZero();
        assertThat(provider.mailboxes.after(bob, 0, 10)).isEmpty();
        String erased = refused(ErrorCode.SUBSCRIPTION_EXPIRED, () -> client.read(bobKey, 0, 10));
        assertThat(erased).contains("erased at").contains("--plan " + ETHER_PLAN);
        assertThat(provider.mailbox.access(bob)).isEqualTo(new Access.Closed(Optional.of(new Access.Lapse(ETHER_PLAN,
                Instant.ofEpochSecond(extended.event().expiresAt()),
                Instant.ofEpochSecond(extended.event().expiresAt()).plus(GRACE)))));
    }

    @Test
    void deletedMailIsGoneAndFreesTheQuotaForMore() {
        f.aliceSubscribesBob(ETHER_PLAN, 1);
        confirm();
        PublicKey bobsKey = PublicKey.of(bobKey);
        long first = client.send(bob, bobsKey, LETTER);
        client.send(bob, bobsKey, SECOND);

        assertThat(client.delete(bobKey, first)).isEqualTo(1);

        assertThat(client.read(bobKey, 0, 10)).extracting(Letter::message).containsExactly(SECOND);
        assertThat(provider.mailboxes.usage(bob).storedBytes()).isEqualTo(SECOND.length + Ecies.OVERHEAD);
        assertThat(client.read(bobKey, first, 10)).hasSize(1);
    }

    /** Mines until the newest subscription is {@code CONFIRMATIONS} deep, and lets the provider read it. */
    private void confirm() {
        anvil.mine(CONFIRMATIONS - 1);
        follower.poll();
        clock.advance(Duration.ofSeconds(chainNow() - clock.instant().getEpochSecond()));
    }

    /** Moves the chain's clock, and the provider's with it, to {@code unixSeconds}. */
    private void travelTo(long unixSeconds) {
        anvil.advanceTime(unixSeconds - chainNow());
        follower.poll();
        clock.advance(Duration.ofSeconds(chainNow() - clock.instant().getEpochSecond()));
    }

    private long chainNow() {
        return f.chain.latestBlock().getTimestamp().longValueExact();
    }
}
