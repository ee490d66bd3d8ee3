package io.turnpike.mailbox;

import static io.turnpike.mailbox.Refusals.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.turnpike.chain.MutableClock;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.channel.MailboxDelete;
import io.turnpike.core.channel.MailboxFetch;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Ecies;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.core.service.Standing;
import io.turnpike.mailbox.client.Letter;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.store.MailboxUsage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailbox's rules that need no chain, over its real HTTP API and a real SQLite store: free mode, the signed
 * requests' checks, quota, size and retention limits, and mailboxes paid per message-byte over a channel.
 */
class MailboxRequestsTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Address PROVIDER = PrivateKey.fromHex("0x" + "11".repeat(32)).address();
    private static final Eip712Domain DOMAIN = Eip712Domain.turnpike(31337,
            Address.of("0x00000000000000000000000000000000000000aa"));
    private static final PrivateKey BOB = PrivateKey.fromHex("0x" + "b0".repeat(32));
    private static final PrivateKey CAROL = PrivateKey.fromHex("0x" + "c0".repeat(32));
    private static final MailboxTerms TERMS = MailboxTerms.days(30, 1_000);
    private static final MailboxConfig FREE = MailboxConfig.subscriptions(Map.of(), TERMS).withFree(true);
    private static final byte[] NOTE = "lunch at one?".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
    private MailboxHarness provider;

    @AfterEach
    void stop() {
        provider.close();
    }

    private MailboxClient start(MailboxConfig config, ChannelPayments payments) {
        provider = new MailboxHarness(dir, PROVIDER, DOMAIN, config, (owner, plan) -> OptionalLong.empty(),
                payments, clock);
        return provider.client;
    }

    private MailboxClient free() {
        return start(FREE, ChannelPayments.NONE);
    }

    private long inAMinute() {
        return clock.instant().getEpochSecond() + 60;
    }

    @Test
    void freeModeServesAnyAddressWithoutASubscription() {
        MailboxClient client = free();
        client.read(BOB, 0, 10);

        long id = client.send(BOB.address(), client.keyOf(BOB.address()), NOTE);

        assertThat(client.read(BOB, 0, 10)).extracting(Letter::id, Letter::message)
                .containsExactly(tuple(id, NOTE));
        assertThat(client.info().free()).isTrue();
    }

    @Test
    void withoutFreeModeOrASubscriptionNothingIsStoredOrRead() {
        MailboxClient client = start(MailboxConfig.subscriptions(Map.of(1L, TERMS), TERMS), ChannelPayments.NONE);

        String refusal = refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.send(BOB.address(), PublicKey.of(BOB),
                NOTE));
        assertThat(refusal).contains("turnpike subscribe " + PROVIDER + " --plan 1 --months N");
        refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.read(BOB, 0, 10));
        assertThat(provider.mailboxes.usage(BOB.address())).isEqualTo(MailboxUsage.EMPTY);
    }

    @Test
    void aFetchSignedByAnotherKeyThanTheOwnersIsRefused() {
        MailboxClient client = free();
        client.send(BOB.address(), PublicKey.of(BOB), NOTE);
        Signed<MailboxFetch> byCarol = Signed.sign(new MailboxFetch(PROVIDER, BOB.address(), 0, 10, inAMinute(),
                Bytes32.random(RANDOM)), DOMAIN, CAROL);

        assertThat(refused(ErrorCode.WRONG_SIGNER, () -> client.fetch(byCarol))).contains(CAROL.address().toString());
        Signed<MailboxDelete> deleteByCarol = Signed.sign(new MailboxDelete(PROVIDER, BOB.address(), 10, inAMinute(),
                Bytes32.random(RANDOM)), DOMAIN, CAROL);
        refused(ErrorCode.WRONG_SIGNER, () -> client.delete(deleteByCarol));
        Signed<MailboxFetch> otherChain = Signed.sign(new MailboxFetch(PROVIDER, BOB.address(), 0, 10, inAMinute(),
                Bytes32.random(RANDOM)), Eip712Domain.turnpike(1, DOMAIN.verifyingContract()), BOB);
        refused(ErrorCode.WRONG_SIGNER, () -> client.fetch(otherChain));
        assertThat(provider.mailboxes.usage(BOB.address()).envelopes()).isEqualTo(1);
    }

    @Test
    void anExpiredRequestOrOneExpiringTooFarAheadIsRefused() {
        MailboxClient client = free();
        long now = clock.instant().getEpochSecond();
        Signed<MailboxFetch> expired = Signed.sign(new MailboxFetch(PROVIDER, BOB.address(), 0, 10, now - 1,
                Bytes32.random(RANDOM)), DOMAIN, BOB);
        Signed<MailboxFetch> farAhead = Signed.sign(new MailboxFetch(PROVIDER, BOB.address(), 0, 10,
                now + FREE.maxRequestLifetime().toSeconds() + 1, Bytes32.random(RANDOM)), DOMAIN, BOB);

        assertThat(refused(ErrorCode.STALE_REQUEST, () -> client.fetch(expired))).contains("sign a new one");
        refused(ErrorCode.STALE_REQUEST, () -> client.fetch(farAhead));

        Signed<MailboxFetch> inTime = client.signFetch(BOB, 0, 10);
        clock.advance(Duration.ofSeconds(FREE.maxRequestLifetime().toSeconds()));
        refused(ErrorCode.STALE_REQUEST, () -> client.fetch(inTime));
    }

    @Test
    void aReplayedRequestIsRefusedEvenAfterARestart() {
        MailboxClient client = free();
        client.send(BOB.address(), PublicKey.of(BOB), NOTE);
        Signed<MailboxFetch> fetch = client.signFetch(BOB, 0, 10);
        assertThat(client.fetch(fetch).envelopes()).hasSize(1);

        refused(ErrorCode.REQUEST_REPLAYED, () -> client.fetch(fetch));
        provider.close();
        MailboxClient restarted = free();
        refused(ErrorCode.REQUEST_REPLAYED, () -> restarted.fetch(fetch));

        Signed<MailboxDelete> delete = Signed.sign(new MailboxDelete(PROVIDER, BOB.address(), 1, inAMinute(),
                Bytes32.random(RANDOM)), DOMAIN, BOB);
        assertThat(restarted.delete(delete)).isEqualTo(1);
        refused(ErrorCode.REQUEST_REPLAYED, () -> restarted.delete(delete));
    }

    @Test
    void aRequestSignedForAnotherProviderIsRefused() {
        MailboxClient client = free();
        Signed<MailboxFetch> elsewhere = Signed.sign(new MailboxFetch(CAROL.address(), BOB.address(), 0, 10,
                inAMinute(), Bytes32.random(RANDOM)), DOMAIN, BOB);

        refused(ErrorCode.BAD_ARGUMENT, () -> client.fetch(elsewhere));
    }

    @Test
    void aDeliveryOverTheQuotaIsRefusedAndNothingIsStored() {
        MailboxClient client = free();
        byte[] half = new byte[(int) TERMS.quotaBytes() / 2 - Ecies.OVERHEAD];
        long first = client.send(BOB.address(), PublicKey.of(BOB), half);
        client.send(BOB.address(), PublicKey.of(BOB), half);
        MailboxUsage full = provider.mailboxes.usage(BOB.address());
        assertThat(full.storedBytes()).isEqualTo(TERMS.quotaBytes());

        String refusal = refused(ErrorCode.MAILBOX_QUOTA_EXCEEDED, () -> client.send(BOB.address(), PublicKey.of(BOB),
                NOTE));
        assertThat(refusal).contains("holds " + TERMS.quotaBytes() + " of its " + TERMS.quotaBytes() + " bytes");
        assertThat(provider.mailboxes.usage(BOB.address())).isEqualTo(full);

        client.delete(BOB, first);
        client.send(BOB.address(), PublicKey.of(BOB), NOTE);
        assertThat(client.read(BOB, 0, 10)).extracting(Letter::message).containsExactly(half, NOTE);
    }

    @Test
    void anEnvelopeOverTheSizeLimitOrNotSealedIsRefused() {
        MailboxClient client = free();
        byte[] tooLarge = new byte[FREE.maxEnvelopeBytes() + 1];
        tooLarge[0] = Ecies.VERSION;

        refused(ErrorCode.ENVELOPE_TOO_LARGE, () -> client.deliver(BOB.address(), tooLarge));
        refused(ErrorCode.MALFORMED_BODY, () -> client.deliver(BOB.address(), NOTE));
        assertThat(provider.mailboxes.usage(BOB.address())).isEqualTo(MailboxUsage.EMPTY);
    }

    @Test
    void mailPastItsRetentionIsDeletedBySweep() {
        MailboxClient client = free();
        client.send(BOB.address(), PublicKey.of(BOB), NOTE);
        clock.advance(TERMS.retention());
        long fresh = client.send(BOB.address(), PublicKey.of(BOB), NOTE);
        assertThat(provider.mailbox.sweep().envelopesPastRetention()).as("kept for the whole retention").isZero();

        clock.advance(Duration.ofMillis(1));
        assertThat(provider.mailbox.sweep().envelopesPastRetention()).isEqualTo(1);

        assertThat(client.read(BOB, 0, 10)).extracting(Letter::id).containsExactly(fresh);
    }

    @Test
    void anUnknownKeyIsNotFoundAndAWrongKeyIsNeverSealedTo() {
        MailboxClient client = free();

        refused(ErrorCode.UNKNOWN_KEY, () -> client.keyOf(BOB.address()));
        refused(ErrorCode.BAD_ARGUMENT, () -> client.send(BOB.address(), PublicKey.of(CAROL), NOTE));
    }

    @Test
    void aMailboxPaidOverAChannelIsServedWhilePaidAndItsBytesAreMetered() {
        Map<Address, Standing> standings = new ConcurrentHashMap<>(Map.of(BOB.address(), Standing.PAID));
        AtomicLong metered = new AtomicLong();
        MailboxClient client = start(MailboxConfig.subscriptions(Map.of(1L, TERMS), TERMS), new ChannelPayments() {
            @Override
            public Standing standing(Address owner) {
                return standings.getOrDefault(owner, Standing.NONE);
            }

            @Override
            public void stored(Address owner, long bytes) {
                assertThat(owner).isEqualTo(BOB.address());
                metered.addAndGet(bytes);
            }
        });

        client.send(BOB.address(), PublicKey.of(BOB), NOTE);
        assertThat(metered).hasValue(NOTE.length + Ecies.OVERHEAD);

        standings.put(BOB.address(), Standing.FREE);
        String refusal = refused(ErrorCode.SUBSCRIPTION_REQUIRED, () -> client.send(BOB.address(), PublicKey.of(BOB),
                NOTE));
        assertThat(refusal).contains("pays per message-byte over a channel");
        assertThat(metered).hasValue(NOTE.length + Ecies.OVERHEAD);
    }

    @Test
    void theApiRefusesUnknownPathsWrongMethodsAndUnknownFields() throws Exception {
        free();
        URI base = URI.create("http://127.0.0.1:" + provider.api.address().getPort());
        HttpClient http = HttpClient.newHttpClient();

        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/v1/mailbox/nowhere")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        assertThat(http.send(HttpRequest.newBuilder(base.resolve("/v1/mailbox/deliver")).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        HttpResponse<String> misspelt = http.send(HttpRequest.newBuilder(base.resolve("/v1/mailbox/deliver"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"to\":\"" + BOB.address() + "\",\"envelope\":\"AQ==\","
                        + "\"forse\":true}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(misspelt.statusCode()).isEqualTo(400);
        assertThat(misspelt.body()).contains("malformed_body").contains("forse");
    }
}
