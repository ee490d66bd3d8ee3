package io.turnpike.node.paywall;

import static io.turnpike.node.demo.PaywallNodes.PRICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.paywall.PaymentRequirements;
import io.turnpike.paywall.X402;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A paywall that speaks only x402 v1 — its 402 is the JSON body with {@code accepts}, the payment is read from {@code
 * X-PAYMENT} — is paid by {@code turnpike http}'s client with {@code exact}, within the caps. The v1 paywall is the
 * provider node's own, on a chain v1 has a name for (Base Sepolia's id, on anvil), seen through a front that passes
 * on only what a v1 server sends and reads: no {@code PAYMENT-REQUIRED}, no {@code PAYMENT-SIGNATURE}.
 */
class PaywallV1ClientTest {

    private static final NodeConfig.PaywallCaps CAPS = new NodeConfig.PaywallCaps(PRICE, PRICE.times(10));

    @TempDir
    static Path work;

    private static Anvil anvil;
    private static PaywallNodes nodes;
    private static JsonHttpServer v1Only;

    @BeforeAll
    static void start() throws InterruptedException {
        anvil = Anvil.start(84532); // x402 v1 calls it base-sepolia
        nodes = PaywallNodes.start(anvil, work, "1", "max-per-request = \"" + PRICE + "\"");
        v1Only = v1Front(nodes.paid("/"));
    }

    @AfterAll
    static void stop() {
        if (v1Only != null) {
            v1Only.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        if (anvil != null) {
            anvil.close();
        }
    }

    @Test
    void aV1OnlyPaywallIsPaidWithExactInXPaymentAndSettledForThePrice() throws InterruptedException {
        PrivateKey payer = PrivateKey.random(new SecureRandom());
        nodes.mint(payer.address(), PRICE.times(3));
        PaywallClient client = nodes.exactPayer(payer, work.resolve("v1-payer"));
        Amount providerBefore = nodes.token.balanceOf(nodes.providerAddress());

        PaywallClient.Answer answer = client.fetch(HttpRequest.newBuilder(v1Only("/api/quote")).build(), CAPS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(new String(answer.body())).contains(payer.address().toString());
        PaywallClient.Receipt paid = answer.paid().orElseThrow();
        assertThat(paid.scheme()).isEqualTo(PaymentRequirements.EXACT);
        assertThat(paid.amount()).isEqualTo(PRICE);
        assertThat(paid.transaction()).as("read from X-PAYMENT-RESPONSE").isPresent();
        DemoNodes.await(() -> nodes.token.balanceOf(nodes.providerAddress()).equals(providerBefore.plus(PRICE)),
                Duration.ofSeconds(30));
        assertThat(nodes.token.balanceOf(payer.address())).isEqualTo(PRICE.times(2));
        assertThat(client.spentToday()).isEqualTo(PRICE);
    }

    @Test
    void aV1PriceOverTheCapIsRefusedBeforeAnythingIsSigned() {
        PrivateKey payer = PrivateKey.random(new SecureRandom());
        nodes.mint(payer.address(), PRICE.times(3));
        PaywallClient client = nodes.exactPayer(payer, work.resolve("v1-capped-payer"));

        assertThatThrownBy(() -> client.fetch(HttpRequest.newBuilder(v1Only("/api/quote")).build(),
                new NodeConfig.PaywallCaps(PRICE.minus(Amount.of(1)), PRICE.times(10))))
                .hasMessageContaining("max-per-request")
                .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED);
        assertThat(client.spentToday()).isEqualTo(Amount.ZERO);
        assertThat(nodes.token.balanceOf(payer.address())).isEqualTo(PRICE.times(3));
    }

    private static URI v1Only(String path) {
        return URI.create("http://127.0.0.1:" + v1Only.address().getPort() + path);
    }

    /** Passes requests on to {@code paywall} with only v1's payment header, and answers with only v1's headers. */
    private static JsonHttpServer v1Front(URI paywall) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            return JsonHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new JsonHttpServer.Surface("v1 paywall", HttpLimits.defaults(), FatalErrors::exitProcess), call -> {
                        HttpRequest.Builder on = HttpRequest.newBuilder(paywall.resolve(call.path()));
                        Optional.ofNullable(call.header(X402.X_PAYMENT)).ifPresent(v -> on.header(X402.X_PAYMENT, v));
                        try {
                            HttpResponse<byte[]> answer = http.send(on.build(), HttpResponse.BodyHandlers.ofByteArray());
                            HttpReply reply = new HttpReply(answer.statusCode(), answer.headers()
                                    .firstValue("Content-Type").orElse(HttpReply.JSON), answer.body(), Map.of());
                            return answer.headers().firstValue(X402.X_PAYMENT_RESPONSE)
                                    .map(settled -> reply.withHeader(X402.X_PAYMENT_RESPONSE, settled)).orElse(reply);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
