package io.turnpike.paywall;

import static io.turnpike.paywall.PaywallWorld.PRICE;
import static io.turnpike.paywall.PaywallWorld.header;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerBalance;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.PaywallAuthorization;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/** x402 {@code exact} at the paywall, on anvil: what is served, what is settled, and what is refused. */
@ExtendWith(AnvilExtension.class)
class ExactPaywallTest {

    private PaywallWorld world;

    @BeforeEach
    void start(Anvil anvil, @TempDir Path dir) {
        world = new PaywallWorld(anvil, dir, 5).start();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void anUnpaidRequestIs402WithTheRequirementsOfBothVersionsAndNeverReachesTheBackend() {
        HttpResponse<String> answer = world.get("/api/quotes", Map.of());

        assertThat(answer.statusCode()).isEqualTo(402);
        JsonObjectReader v2 = X402.decode(answer.headers().firstValue(X402.PAYMENT_REQUIRED).orElseThrow());
        assertThat(v2.integer("x402Version")).isEqualTo(2);
        assertThat(v2.string("error")).isEqualTo("payment_required");
        assertThat(v2.object("resource").string("url")).endsWith("/api/quotes");
        JsonObjectReader offer = v2.objects("accepts").getFirst();
        assertThat(offer.string("scheme")).isEqualTo("exact");
        assertThat(offer.string("network")).isEqualTo("eip155:" + world.anvil.chainId());
        assertThat(offer.decimalAmount("amount")).isEqualTo(PRICE);
        assertThat(offer.address("asset")).isEqualTo(world.token.address());
        assertThat(offer.address("payTo")).isEqualTo(world.payTo);
        assertThat(offer.object("extra").string("name")).isEqualTo(PaywallWorld.TOKEN_NAME);
        JsonObjectReader v1 = JsonObjectReader.parse(answer.body().getBytes());
        assertThat(v1.integer("x402Version")).isEqualTo(1);
        assertThat(v1.string("code")).isEqualTo("payment_required");
        // Anvil's chain id has no v1 name: v1 clients are offered nothing they could sign for.
        assertThat(v1.objects("accepts")).isEmpty();
        assertThat(world.backend.served()).isZero();
    }

    @Test
    void aValidAuthorizationIsServedAndSettledOnChainForExactlyItsValue() {
        PrivateKey payer = world.fundedPayer(PRICE.times(3));
        Amount providerBefore = world.token.balanceOf(world.payTo);
        // More than the price, which the paywall takes: the chain moves the authorization's value, and so do the books.
        Amount value = PRICE.plus(Amount.of(7));
        ExactAuthorization authorization = world.authorize(payer, world.payTo, value);

        HttpResponse<String> answer = world.pay("/api/quotes", header(world.exactOffer(), authorization.toJson()));

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonObjectReader served = JsonObjectReader.parse(answer.body().getBytes());
        assertThat(served.string("path")).isEqualTo("/v1/quotes");
        assertThat(served.string("payer")).isEqualTo(payer.address().toString());
        JsonObjectReader settlement = X402.decode(answer.headers().firstValue(X402.PAYMENT_RESPONSE).orElseThrow());
        assertThat(settlement.bool("success")).isTrue();
        assertThat(settlement.string("payer")).isEqualTo(payer.address().toString());
        Bytes32 transaction = Bytes32.fromHex(settlement.string("transaction"));
        assertThat(world.records.find(key(payer, authorization)).orElseThrow().txHash()).contains(transaction);

        world.confirmSettlements();
        assertThat(world.manager.tracked()).extracting(tx -> tx.hash()).contains(transaction);
        Amount moved = world.token.balanceOf(world.payTo).minus(providerBefore);
        assertThat(moved).isEqualTo(value);
        assertThat(world.token.balanceOf(payer.address())).isEqualTo(PRICE.times(3).minus(value));
        // The provider's books: the payer used and paid what the chain moved, to the unit.
        LedgerBalance books = world.store.ledger().get(new LedgerKey(payer.address(), world.token.address(),
                Debtor.PEER));
        assertThat(books.used()).isEqualTo(moved);
        assertThat(books.paid()).isEqualTo(moved);
    }

    @Test
    void aPerBytePathAsksForItsMaximumAndExactPaysThatWhateverTheAnswersSize() {
        Amount maximum = PRICE.plus(PaywallWorld.PER_BYTE.times(PaywallWorld.MAX_BYTES));
        JsonObjectReader offer = X402.decode(world.get("/bytes/quotes", Map.of()).headers()
                .firstValue(X402.PAYMENT_REQUIRED).orElseThrow()).objects("accepts").getFirst();
        assertThat(offer.decimalAmount("amount")).as("price + price-per-byte × max-response-bytes").isEqualTo(maximum);
        PrivateKey payer = world.fundedPayer(maximum.times(2));
        Amount providerBefore = world.token.balanceOf(world.payTo);
        PaymentRequirements terms = world.offer("/bytes/", PaymentRequirements.EXACT);

        HttpResponse<String> priceOnly = world.pay("/bytes/quotes", header(terms,
                world.authorize(payer, world.payTo, PRICE).toJson()));
        assertThat(priceOnly.statusCode()).isEqualTo(402);
        assertThat(JsonObjectReader.parse(priceOnly.body().getBytes()).string("code"))
                .isEqualTo("payment_insufficient");
        HttpResponse<String> answer = world.pay("/bytes/quotes?pad=10", header(terms,
                world.authorize(payer, world.payTo, maximum).toJson()));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body().length()).isLessThan(PaywallWorld.MAX_BYTES / 10);
        world.confirmSettlements();
        assertThat(world.token.balanceOf(world.payTo)).as("one fixed amount per authorization: the maximum")
                .isEqualTo(providerBefore.plus(maximum));
        assertThat(world.store.ledger().get(new LedgerKey(payer.address(), world.token.address(), Debtor.PEER)).used())
                .isEqualTo(maximum);
    }

    @Test
    void anAnswerOverThePathsCapIsNotPassedOnAndItsAuthorizationIsNotSettled() {
        Amount maximum = PRICE.plus(PaywallWorld.PER_BYTE.times(PaywallWorld.MAX_BYTES));
        PrivateKey payer = world.fundedPayer(maximum);
        ExactAuthorization authorization = world.authorize(payer, world.payTo, maximum);

        HttpResponse<String> answer = world.pay("/bytes/quotes?pad=" + PaywallWorld.MAX_BYTES,
                header(world.offer("/bytes/", PaymentRequirements.EXACT), authorization.toJson()));

        assertThat(answer.statusCode()).isEqualTo(413);
        assertThat(JsonObjectReader.parse(answer.body().getBytes()).string("code")).isEqualTo("response_too_large");
        assertThat(answer.body()).doesNotContain("xxxx");
        assertThat(world.records.find(key(payer, authorization))).as("the claim is given back").isEmpty();
        assertThat(world.manager.tracked()).isEmpty();
    }

    /** A bad payment, and the x402 reason it is refused with. */
    record Bad(String name, String reason, BiFunction<PaywallWorld, PrivateKey, String> header) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> badPayments() {
        return Stream.of(
                new Bad("pays less than the price", "invalid_exact_evm_payload_authorization_value",
                        (w, payer) -> header(w.exactOffer(), w.authorize(payer, w.payTo, PRICE.minus(Amount.of(1)))
                                .toJson())),
                new Bad("accepted another price", "invalid_payment_requirements",
                        (w, payer) -> header(with(w.exactOffer(), "amount", "1"),
                                w.authorize(payer, w.payTo, Amount.of(1)).toJson())),
                new Bad("pays someone else", "invalid_exact_evm_payload_recipient_mismatch",
                        (w, payer) -> header(w.exactOffer(), w.authorize(payer, w.deployer.address(), PRICE).toJson())),
                new Bad("accepted another payTo", "invalid_payment_requirements",
                        (w, payer) -> header(with(w.exactOffer(), "payTo", w.deployer.address().toString()),
                                w.authorize(payer, w.deployer.address(), PRICE).toJson())),
                new Bad("another asset", "invalid_payment_requirements",
                        (w, payer) -> header(with(w.exactOffer(), "asset", Address.of(
                                "0x00000000000000000000000000000000000000aa").toString()),
                                w.authorize(payer, w.payTo, PRICE).toJson())),
                new Bad("another network", "invalid_network",
                        (w, payer) -> header(with(w.exactOffer(), "network", "eip155:1"),
                                w.authorize(payer, w.payTo, PRICE).toJson())),
                new Bad("another scheme", "unsupported_scheme",
                        (w, payer) -> header(with(w.exactOffer(), "scheme", "upto"),
                                w.authorize(payer, w.payTo, PRICE).toJson())),
                new Bad("expired", "invalid_exact_evm_payload_authorization_valid_before",
                        (w, payer) -> header(w.exactOffer(), window(w, payer, -600, -10))),
                new Bad("expires before it can be settled", "invalid_exact_evm_payload_authorization_valid_before",
                        (w, payer) -> header(w.exactOffer(), window(w, payer, -600, 3))),
                new Bad("not valid yet", "invalid_exact_evm_payload_authorization_valid_after",
                        (w, payer) -> header(w.exactOffer(), window(w, payer, 30, 300))),
                new Bad("signed by another key", "invalid_exact_evm_payload_signature",
                        (w, payer) -> header(w.exactOffer(), forged(w, payer))),
                new Bad("signed for another token", "invalid_exact_evm_payload_signature",
                        (w, payer) -> header(w.exactOffer(), ExactAuthorization.sign(payer, w.payTo, PRICE,
                                0, w.clock.instant().getEpochSecond() + 120, Bytes32.random(PaywallWorld.RANDOM),
                                new io.turnpike.core.crypto.Eip712Domain(PaywallWorld.TOKEN_NAME, "1",
                                        w.anvil.chainId(), w.token.address())).toJson())),
                new Bad("a payer without the funds", "insufficient_funds",
                        (w, payer) -> header(w.exactOffer(), w.authorize(PrivateKey.random(PaywallWorld.RANDOM),
                                w.payTo, PRICE).toJson())),
                new Bad("not base64", "invalid_payload", (w, payer) -> "not*base64!"),
                new Bad("base64 of something that is not JSON", "invalid_payload",
                        (w, payer) -> java.util.Base64.getEncoder().encodeToString("{\"x402Version\":".getBytes())),
                new Bad("JSON whose requirements are empty", "invalid_payment_requirements",
                        (w, payer) -> java.util.Base64.getEncoder().encodeToString(
                                "{\"x402Version\":2,\"accepted\":{}}".getBytes())),
                new Bad("a header longer than the paywall reads", "invalid_payload",
                        (w, payer) -> "A".repeat(5000)))
                .map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPayments")
    void aBadPaymentIs402WithItsReasonAndNothingIsServedClaimedOrSettled(Bad bad) {
        PrivateKey payer = world.fundedPayer(PRICE.times(5));
        Amount providerBefore = world.token.balanceOf(world.payTo);

        HttpResponse<String> answer = world.pay("/api/quotes", bad.header().apply(world, payer));

        assertThat(answer.statusCode()).isEqualTo(402);
        assertThat(X402.decode(answer.headers().firstValue(X402.PAYMENT_REQUIRED).orElseThrow()).string("error"))
                .isEqualTo(bad.reason());
        assertThat(JsonObjectReader.parse(answer.body().getBytes()).string("error")).isEqualTo(bad.reason());
        assertThat(world.backend.served()).isZero();
        assertThat(world.manager.tracked()).isEmpty();
        assertThat(world.token.balanceOf(world.payTo)).isEqualTo(providerBefore);
        assertThat(world.token.balanceOf(payer.address())).isEqualTo(PRICE.times(5));
    }

    @Test
    void anAuthorizationAlreadySettledIsRefusedWhenSentAgain() {
        PrivateKey payer = world.fundedPayer(PRICE.times(2));
        String payment = header(world.exactOffer(), world.authorize(payer, world.payTo, PRICE).toJson());
        assertThat(world.pay("/api/quotes", payment).statusCode()).isEqualTo(200);
        world.confirmSettlements();

        HttpResponse<String> replay = world.pay("/api/quotes", payment);

        assertThat(replay.statusCode()).isEqualTo(402);
        assertThat(JsonObjectReader.parse(replay.body().getBytes()).string("code")).isEqualTo("payment_replayed");
        assertThat(world.backend.served()).isEqualTo(1);
        assertThat(world.token.balanceOf(payer.address())).isEqualTo(PRICE);
    }

    @Test
    void ofManyRequestsCarryingOneAuthorizationAtOnceExactlyOneIsServedAndSettled() throws Exception {
        PrivateKey payer = world.fundedPayer(PRICE.times(10));
        Amount providerBefore = world.token.balanceOf(world.payTo);
        String payment = header(world.exactOffer(), world.authorize(payer, world.payTo, PRICE).toJson());
        List<Callable<Integer>> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(() -> world.pay("/api/quotes", payment).statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Integer> status : threads.invokeAll(requests)) {
                statuses.add(status.get());
            }
        }

        assertThat(statuses).containsOnlyOnce(200).filteredOn(s -> s != 200).containsOnly(402);
        assertThat(world.backend.served()).isEqualTo(1);
        world.confirmSettlements();
        assertThat(world.token.balanceOf(world.payTo)).isEqualTo(providerBefore.plus(PRICE));
        assertThat(world.token.balanceOf(payer.address())).isEqualTo(PRICE.times(9));
    }

    @Test
    void aBackendThatFailsIsNotPaidAndTheSameAuthorizationPaysTheNextRequest() {
        PrivateKey payer = world.fundedPayer(PRICE);
        ExactAuthorization authorization = world.authorize(payer, world.payTo, PRICE);
        String payment = header(world.exactOffer(), authorization.toJson());

        HttpResponse<String> failed = world.pay("/api/fail", payment);

        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue(X402.PAYMENT_RESPONSE)).isEmpty();
        assertThat(world.manager.tracked()).isEmpty();
        assertThat(world.records.find(key(payer, authorization))).isEmpty();

        assertThat(world.pay("/api/quotes", payment).statusCode()).isEqualTo(200);
        world.confirmSettlements();
        assertThat(world.token.balanceOf(payer.address())).isEqualTo(Amount.ZERO);
    }

    @Test
    void aPathNoRouteServesIsNotFoundAndNotForSale() {
        assertThat(world.get("/other", Map.of()).statusCode()).isEqualTo(404);
        assertThat(world.backend.served()).isZero();
    }

    private PaywallAuthorization.Key key(PrivateKey payer, ExactAuthorization authorization) {
        return new PaywallAuthorization.Key(world.anvil.chainId(), world.token.address(), payer.address(),
                authorization.nonce());
    }

    private static PaymentRequirements with(PaymentRequirements offer, String field, String value) {
        ObjectNode changed = offer.toV2().put(field, value);
        return new PaymentRequirements(changed.get("scheme").asString(),
                Networks.chainId(changed.get("network").asString()).orElseThrow(),
                Amount.of(new java.math.BigInteger(changed.get("amount").asString())),
                Address.of(changed.get("asset").asString()), Address.of(changed.get("payTo").asString()),
                offer.maxTimeoutSeconds(), offer.extra());
    }

    private static ObjectNode window(PaywallWorld w, PrivateKey payer, long afterFromNow, long beforeFromNow) {
        long now = w.clock.instant().getEpochSecond();
        return ExactAuthorization.sign(payer, w.payTo, PRICE, now + afterFromNow, now + beforeFromNow,
                Bytes32.random(PaywallWorld.RANDOM), w.tokenDomain()).toJson();
    }

    /** Signed by someone else, but claiming the payer as {@code from}. */
    private static ObjectNode forged(PaywallWorld w, PrivateKey payer) {
        ExactAuthorization real = w.authorize(PrivateKey.random(PaywallWorld.RANDOM), w.payTo, PRICE);
        return new ExactAuthorization(payer.address(), real.to(), real.value(), real.validAfter(), real.validBefore(),
                real.nonce(), real.signature()).toJson();
    }
}
