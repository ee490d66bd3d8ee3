package io.turnpike.node.paywall;

import static io.turnpike.node.demo.PaywallNodes.PRICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.paywall.PaymentRequirements;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerKey;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider node sells an HTTP API through its paywall; a client node that holds a channel to it pays each request
 * from that channel, and a payer without one pays {@code exact} with its key. What was paid lands, to the unit, in
 * both nodes' books, and the caps refuse before anything is signed.
 */
class PaywallThroughNodesTest {

    private static final NodeConfig.PaywallCaps GENEROUS = new NodeConfig.PaywallCaps(PRICE, PRICE.times(1_000));

    @TempDir
    static Path work;

    private static PaywallNodes nodes;

    @BeforeAll
    static void start() throws InterruptedException {
        nodes = PaywallNodes.start(SharedAnvil.get(), work, "1", "max-per-request = \"" + PRICE + "\"");
    }

    @AfterAll
    static void stop() {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    void aClientNodePaysFromItsChannelAndBothNodesCountEachRequestAsUsedAndPaid() throws InterruptedException {
        PaywallClient client = nodes.client.paywallClient();
        Amount sentBefore = nodes.client.channel(nodes.channelId).orElseThrow().sentTotal();
        Amount tokensBefore = nodes.token.balanceOf(nodes.providerAddress());
        PeerView providerBefore = nodes.provider.provider().orElseThrow().views().getFirst();

        for (int n = 1; n <= 20; n++) {
            PaywallClient.Answer answer = client.fetch(get("/api/quote"), GENEROUS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(new String(answer.body(), StandardCharsets.UTF_8))
                    .contains(nodes.clientAddress().toString());
            PaywallClient.Receipt paid = answer.paid().orElseThrow();
            assertThat(paid.scheme()).isEqualTo(PaymentRequirements.CHANNEL);
            assertThat(paid.amount()).isEqualTo(PRICE);
            assertThat(paid.channelId()).contains(nodes.channelId);
            assertThat(paid.transaction()).isEmpty();
        }

        Amount twenty = PRICE.times(20);
        // Written down on both sides before each answer left: the stores hold the proofs.
        assertThat(nodes.client.channel(nodes.channelId).orElseThrow().sentTotal()).isEqualTo(sentBefore.plus(twenty));
        assertThat(nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal())
                .isEqualTo(sentBefore.plus(twenty));
        assertThat(nodes.provider.context().store().ledger().get(new LedgerKey(nodes.clientAddress(),
                nodes.token.address(), Debtor.PEER)).used()).isEqualTo(providerBefore.used().plus(twenty));
        PeerView atProvider = nodes.provider.provider().orElseThrow().views().getFirst();
        assertThat(atProvider.used()).isEqualTo(providerBefore.used().plus(twenty));
        assertThat(atProvider.paid()).isEqualTo(providerBefore.paid().plus(twenty));
        assertThat(atProvider.owed()).isEqualTo(providerBefore.owed());
        PeerView atClient = nodes.client.payments().orElseThrow().views().getFirst();
        assertThat(atClient.used()).isEqualTo(atProvider.used());
        assertThat(atClient.paid()).isEqualTo(atProvider.paid());
        assertThat(nodes.token.balanceOf(nodes.providerAddress())).as("no transaction per request")
                .isEqualTo(tokensBefore);
    }

    @Test
    void aPayerWithoutAChannelPaysExactAndTheProviderNodeSettlesItOnChain() throws InterruptedException {
        PrivateKey payer = PrivateKey.random(new SecureRandom());
        nodes.mint(payer.address(), PRICE.times(3));
        PaywallClient client = new PaywallClient(payer, nodes.anvil.chainId(), nodes.asset, Optional.empty(),
                Optional.empty(), work.resolve("exact-spending"), Clock.systemUTC(), new SecureRandom());
        Amount providerBefore = nodes.token.balanceOf(nodes.providerAddress());

        PaywallClient.Answer answer = client.fetch(get("/api/quote"), GENEROUS);

        assertThat(answer.status()).isEqualTo(200);
        PaywallClient.Receipt paid = answer.paid().orElseThrow();
        assertThat(paid.scheme()).isEqualTo(PaymentRequirements.EXACT);
        assertThat(paid.transaction()).isPresent();
        DemoNodes.await(() -> nodes.token.balanceOf(nodes.providerAddress()).equals(providerBefore.plus(PRICE)),
                Duration.ofSeconds(30));
        assertThat(nodes.token.balanceOf(payer.address())).isEqualTo(PRICE.times(2));
        assertThat(client.spentToday()).isEqualTo(PRICE);
    }

    @Test
    void aPriceOverEitherCapIsRefusedWithItsCodeAndNothingIsPaid() {
        PaywallClient client = nodes.client.paywallClient();
        Amount sentBefore = nodes.client.channel(nodes.channelId).orElseThrow().sentTotal();
        Amount spentBefore = client.spentToday();

        assertThatThrownBy(() -> client.fetch(get("/api/quote"), new NodeConfig.PaywallCaps(PRICE.minus(Amount.of(1)),
                PRICE.times(1_000))))
                .isInstanceOf(TurnpikeException.class)
                .hasMessageContaining("max-per-request")
                .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED);
        assertThatThrownBy(() -> client.fetch(get("/api/quote"), new NodeConfig.PaywallCaps(PRICE,
                spentBefore.plus(PRICE).minus(Amount.of(1)))))
                .hasMessageContaining("max-per-day")
                .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED);

        assertThat(nodes.client.channel(nodes.channelId).orElseThrow().sentTotal()).isEqualTo(sentBefore);
        assertThat(client.spentToday()).isEqualTo(spentBefore);
    }

    @Test
    void anUnpaidPathIsFetchedAsItIsAndCostsNothing() {
        PaywallClient client = nodes.client.paywallClient();

        PaywallClient.Answer answer = client.fetch(HttpRequest.newBuilder(nodes.direct("/v1/quote")).build(), GENEROUS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.paid()).isEmpty();
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(nodes.paid(path)).build();
    }
}
