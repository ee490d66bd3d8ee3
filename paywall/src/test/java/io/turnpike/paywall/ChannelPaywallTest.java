package io.turnpike.paywall;

import static io.turnpike.paywall.PaywallWorld.PRICE;
import static io.turnpike.paywall.PaywallWorld.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.TestStore;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.store.Store;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The {@code turnpike-channel} scheme on a real TurnpikeChannels deployment: Alice pays Bob's paywall with her
 * newest cumulative balance proof, one signature and no transaction per request, and the channel settles on chain
 * to exactly what the paywall credited.
 */
@ExtendWith(AnvilExtension.class)
class ChannelPaywallTest {

    private static final Amount DEPOSIT = PRICE.times(1_500);

    private ChannelFixture f;
    private PaywallWorld world;
    private Store bobStore;
    private ChannelBook book;
    private long channelId;

    @BeforeEach
    void start(ChannelFixture fixture, @TempDir Path paywallDir, @TempDir Path bobDir) {
        f = fixture;
        world = new PaywallWorld(f.anvil, paywallDir, 6);
        bobStore = TestStore.open(bobDir, f.bob.address(), f.anvil.chainId(), world.clock);
        channelId = f.openToken(DEPOSIT, Amount.ZERO);
        book = new ChannelBook(bobStore.channels());
        book.add(Channel.opened(f.domain(), channelId, f.bob.address(), f.alice.address(), f.token.address(), Role.B,
                ChannelFixture.PERIOD, ChannelSide.EMPTY, new ChannelSide(DEPOSIT, Amount.ZERO)));
        PaywallConfig config = new PaywallConfig(f.anvil.chainId(), f.bob.address(),
                new PaywallConfig.Token(f.token.address(), "Test Token", "1"),
                world.config(Optional.empty(), f.token.address()).routes(), Optional.of(f.channels.address()), 120,
                PaywallConfig.Limits.defaults());
        world.start(config, Optional.of(book));
    }

    @AfterEach
    void stop() {
        world.close();
        bobStore.close();
    }

    @Test
    void aThousandRequestsPaidWithOneChannelSettleToExactlyWhatWasCredited() {
        Amount aliceBefore = f.token.balanceOf(f.alice.address());
        Amount bobBefore = f.token.balanceOf(f.bob.address());

        for (int n = 1; n <= 1_000; n++) {
            HttpResponse<String> answer = world.pay("/api/quotes", payment(proof(f.aliceKey, channelId, n, PRICE.times(n))));
            assertThat(answer.statusCode()).as("request %d", n).isEqualTo(200);
            JsonObjectReader settlement = X402.decode(answer.headers().firstValue(X402.PAYMENT_RESPONSE).orElseThrow());
            assertThat(settlement.object("extra").decimalAmount("credited")).isEqualTo(PRICE);
        }
        assertThat(world.backend.served()).isEqualTo(1_000);

        Channel held = bobStore.channels().get(new ChannelRef(f.anvil.chainId(),
                f.channels.address(), channelId)).orElseThrow();
        assertThat(held.receivedTotal()).isEqualTo(PRICE.times(1_000));
        CooperativeSettle settle = held.settlement();
        f.channels.cooperativeSettle(f.outsider, channelId, settle.payoutA(), settle.payoutB(),
                f.settleSignature(f.aliceKey, channelId, settle.payoutA(), settle.payoutB()),
                f.settleSignature(f.bobKey, channelId, settle.payoutA(), settle.payoutB()));

        assertThat(f.token.balanceOf(f.bob.address())).isEqualTo(bobBefore.plus(PRICE.times(1_000)));
        assertThat(f.token.balanceOf(f.alice.address())).isEqualTo(aliceBefore.plus(DEPOSIT.minus(PRICE.times(1_000))));
    }

    @Test
    void aPerBytePathBooksThePriceAndEachByteSentAndWhatTheProofPaidBeyondIsCreditForTheNext() {
        Amount maximum = PRICE.plus(PaywallWorld.PER_BYTE.times(PaywallWorld.MAX_BYTES));
        assertThat(world.offer("/bytes/", PaymentRequirements.CHANNEL).amount()).isEqualTo(maximum);
        Amount transferred = Amount.ZERO;
        Amount credit = Amount.ZERO;
        Amount used = Amount.ZERO;
        int nonce = 0;
        for (int pad : new int[] {0, 100, 1_000, 3_000, 7}) {
            Amount adds = maximum.minus(credit);
            transferred = transferred.plus(adds);
            HttpResponse<String> answer = world.pay("/bytes/q?pad=" + pad, bytesPayment(proof(f.aliceKey, channelId,
                    ++nonce, transferred)));
            assertThat(answer.statusCode()).as("pad %d", pad).isEqualTo(200);
            Amount cost = PRICE.plus(PaywallWorld.PER_BYTE.times(
                    answer.body().getBytes(StandardCharsets.UTF_8).length));
            used = used.plus(cost);
            JsonObjectReader extra = X402.decode(answer.headers().firstValue(X402.PAYMENT_RESPONSE).orElseThrow())
                    .object("extra");
            assertThat(extra.decimalAmount("credited")).isEqualTo(adds);
            assertThat(extra.decimalAmount("used")).isEqualTo(cost);
            credit = extra.decimalAmount("credit");
            assertThat(credit).isEqualTo(transferred.minus(used));
        }
        assertThat(book.used(f.alice.address())).isEqualTo(used);

        assertRefused("/bytes/q", bytesPayment(proof(f.aliceKey, channelId, ++nonce,
                transferred.plus(maximum.minus(credit)).minus(Amount.of(1)))), "payment_insufficient");
        HttpResponse<String> tooLarge = world.pay("/bytes/q?pad=" + PaywallWorld.MAX_BYTES,
                bytesPayment(proof(f.aliceKey, channelId, nonce, transferred.plus(maximum.minus(credit)))));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(JsonObjectReader.parse(tooLarge.body().getBytes()).string("code")).isEqualTo("response_too_large");
        assertThat(book.used(f.alice.address())).as("an answer over the cap costs the price only")
                .isEqualTo(used.plus(PRICE));
    }

    @Test
    void staleForgedCrossChannelAndInsufficientProofsAre402AndNothingIsServedOrCredited() {
        assertThat(world.pay("/api/quotes", payment(proof(f.aliceKey, channelId, 1, PRICE))).statusCode())
                .isEqualTo(200);
        long otherChannel = f.channels.openWithDeposit(f.alice, f.outsider.address(), f.token.address(),
                ChannelFixture.PERIOD, PRICE.times(10)).channelId();

        assertRefused(proof(f.aliceKey, channelId, 1, PRICE.times(2)), "stale_proof");
        assertRefused(proof(f.towerKey, channelId, 2, PRICE.times(2)), "wrong_signer");
        assertRefused(proof(f.aliceKey, otherChannel, 1, PRICE), "unknown_channel");
        assertRefused(Signed.sign(new BalanceProof(channelId, 2, PRICE.times(2)),
                Eip712Domain.turnpike(f.anvil.chainId() + 1, f.channels.address()), f.aliceKey), "wrong_signer");
        assertRefused(proof(f.aliceKey, channelId, 2, PRICE.times(2).minus(Amount.of(1))), "payment_insufficient");
        assertRefused(proof(f.aliceKey, channelId, 2, DEPOSIT.plus(PRICE)), "insufficient_capacity");

        assertThat(world.backend.served()).isEqualTo(1);
        assertThat(book.credit(new ChannelRef(f.anvil.chainId(), f.channels.address(),
                channelId), proof(f.aliceKey, channelId, 2, PRICE.times(2)), f.token.address(), PRICE).credited())
                .as("the last credited proof is still the first").isEqualTo(PRICE);
    }

    @Test
    void aPaidRequestReachesTheBackendWithItsQueryAndEndToEndHeadersButNotThePaymentOrHopByHopOnes()
            throws IOException {
        // Raw, since Java's client will not send a Connection header of the test's choosing.
        JsonNode served = JsonObjectReader.MAPPER.readTree(rawGet("/api/quotes?symbol=ETH&from=%2F2024",
                X402.PAYMENT_SIGNATURE + ": " + payment(proof(f.aliceKey, channelId, 1, PRICE)),
                "Accept: application/json", "X-Request-Tag: q1", "Authorization: Bearer secret",
                "Cookie: session=abc", "Turnpike-Payer: 0x0000000000000000000000000000000000000001",
                "Connection: close, X-Hop", "X-Hop: only-to-the-paywall"));

        assertThat(served.path("path").asString()).isEqualTo("/v1/quotes");
        assertThat(served.path("query").asString()).isEqualTo("symbol=ETH&from=%2F2024");
        JsonNode headers = served.path("headers");
        assertThat(headers.path("accept").toString()).isEqualTo("[\"application/json\"]");
        assertThat(headers.path("x-request-tag").toString()).isEqualTo("[\"q1\"]");
        assertThat(headers.path("cookie").toString()).isEqualTo("[\"session=abc\"]");
        assertThat(headers.path("turnpike-payer").toString()).as("the paywall's word, not the client's")
                .isEqualTo("[\"" + f.alice.address() + "\"]");
        assertThat(headers.has("authorization")).as("Authorization stays with the paywall by default").isFalse();
        assertThat(headers.has("x-hop")).as("named in Connection").isFalse();
        assertThat(headers.has("connection")).isFalse();
        assertThat(headers.has("payment-signature")).isFalse();

        JsonNode signed = JsonObjectReader.MAPPER.readTree(world.get("/api/signed/quotes", Map.of(
                X402.PAYMENT_SIGNATURE, payment(proof(f.aliceKey, channelId, 2, PRICE.times(2))),
                "Authorization", "Bearer secret")).body());
        assertThat(signed.path("headers").path("authorization").toString())
                .as("a route configured to pass it on").isEqualTo("[\"Bearer secret\"]");
    }

    /** The body of a GET sent as the lines given, on a connection of its own. */
    private String rawGet(String path, String... headers) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", world.url("/").getPort())) {
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String.join("\r\n", headers)
                    + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            return answer.substring(answer.indexOf("\r\n\r\n") + 4);
        }
    }

    private void assertRefused(Signed<BalanceProof> proof, String code) {
        assertRefused("/api/quotes", payment(proof), code);
    }

    private void assertRefused(String path, String payment, String code) {
        HttpResponse<String> answer = world.pay(path, payment);
        assertThat(answer.statusCode()).isEqualTo(402);
        assertThat(JsonObjectReader.parse(answer.body().getBytes()).string("code")).isEqualTo(code);
        assertThat(X402.decode(answer.headers().firstValue(X402.PAYMENT_REQUIRED).orElseThrow()).string("error"))
                .isEqualTo(code);
    }

    private Signed<BalanceProof> proof(PrivateKey signer, long id, long nonce, Amount transferred) {
        return Signed.sign(new BalanceProof(id, nonce, transferred), f.domain(), signer);
    }

    private String payment(Signed<BalanceProof> proof) {
        return header(world.channelOffer(), ChannelPayment.toJson(proof));
    }

    private String bytesPayment(Signed<BalanceProof> proof) {
        return header(world.offer("/bytes/", PaymentRequirements.CHANNEL), ChannelPayment.toJson(proof));
    }
}
