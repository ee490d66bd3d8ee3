package io.turnpike.node.paywall;

import static io.turnpike.node.demo.PaywallNodes.PRICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.paywall.PaymentOffer;
import io.turnpike.paywall.PaymentRequirements;
import io.turnpike.paywall.X402;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerBalance;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.PaywallSpending;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
        PeerView providerBefore = viewAtProvider(nodes.clientAddress());

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
        PeerView atProvider = viewAtProvider(nodes.clientAddress());
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
    void aPerBytePathCostsThePriceAndEachByteSentInBothNodesBooksAndWhatAProofPaidBeyondCarriesOver()
            throws InterruptedException {
        // A client node of its own: the credit it carries with the provider is no other test's.
        TurnpikeNode buyer = nodes.startClient(work.resolve("by-the-byte"), "1", "", "");
        try {
            Address provider = nodes.providerAddress();
            Address buyerAddress = buyer.context().key().address();
            long channelId = buyer.peers().of(provider).await(() -> buyer.peers().of(provider).channels()
                    .open(Role.A).orElseThrow().channelId());
            Amount maximum = PRICE.plus(PaywallNodes.PER_BYTE.times(PaywallNodes.MAX_BYTES));
            NodeConfig.PaywallCaps caps = new NodeConfig.PaywallCaps(maximum, maximum.times(100));
            PaywallClient client = buyer.paywallClient();
            LedgerKey atProviderKey = new LedgerKey(buyerAddress, nodes.token.address(), Debtor.PEER);
            LedgerKey atBuyerKey = new LedgerKey(provider, nodes.token.address(), Debtor.US);
            Amount providerUsedBefore = nodes.provider.context().store().ledger().get(atProviderKey).used();
            Amount buyerUsedBefore = buyer.context().store().ledger().get(atBuyerKey).used();
            Amount sentBefore = buyer.channel(channelId).orElseThrow().sentTotal();

            Amount used = Amount.ZERO;
            Amount signed = Amount.ZERO;
            for (int length : new int[] {1, 300, 40, 900, 5}) {
                PaywallClient.Answer answer = client.fetch(get("/bytes/" + "q".repeat(length)), caps);
                assertThat(answer.status()).as("a path of %d", length).isEqualTo(200);
                Amount paid = answer.paid().orElseThrow().amount();
                assertThat(paid).as("the first proof pays the maximum, later ones less the credit")
                        .isEqualTo(signed.isZero() ? maximum : maximum.minus(signed.minus(used)));
                signed = signed.plus(paid);
                used = used.plus(PRICE.plus(PaywallNodes.PER_BYTE.times(answer.body().length)));
            }

            assertThat(nodes.provider.context().store().ledger().get(atProviderKey).used())
                    .as("Σ (price + price-per-byte × bytes sent)").isEqualTo(providerUsedBefore.plus(used));
            assertThat(buyer.context().store().ledger().get(atBuyerKey).used()).isEqualTo(buyerUsedBefore.plus(used));
            assertThat(buyer.channel(channelId).orElseThrow().sentTotal()).isEqualTo(sentBefore.plus(signed));
            assertThat(nodes.provider.channel(channelId).orElseThrow().receivedTotal())
                    .isEqualTo(sentBefore.plus(signed));
            PeerView atProvider = viewAtProvider(buyerAddress);
            PeerView atBuyer = buyer.payments().orElseThrow().views().getFirst();
            assertThat(atProvider.used()).isEqualTo(used);
            assertThat(atProvider.paid()).isEqualTo(signed);
            assertThat(atProvider.credit()).as("what the proofs paid beyond the bytes").isEqualTo(signed.minus(used));
            assertThat(atBuyer.used()).isEqualTo(atProvider.used());
            assertThat(atBuyer.paid()).isEqualTo(atProvider.paid());
        } finally {
            DemoNodes.stop(buyer);
        }
    }

    @Test
    void aPayerWithoutAChannelPaysExactAndTheProviderNodeSettlesItOnChain() throws InterruptedException {
        PrivateKey payer = PrivateKey.random(new SecureRandom());
        nodes.mint(payer.address(), PRICE.times(3));
        PaywallClient client = nodes.exactPayer(payer, work.resolve("exact-payer"));
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
        // The provider node's books hold the earning as the chain moved it: used and paid, nothing owed.
        LedgerBalance books = nodes.provider.context().store().ledger().get(new LedgerKey(payer.address(),
                nodes.token.address(), Debtor.PEER));
        assertThat(books.used()).isEqualTo(PRICE);
        assertThat(books.paid()).isEqualTo(PRICE);
    }

    @Test
    void aProofAddingLessThanThePriceIsRefused402AndTheProviderTakesNothing() throws Exception {
        Channel held = nodes.client.channel(nodes.channelId).orElseThrow();
        Amount receivedBefore = nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal();
        // Signed with the client's own key, one unit short of the price.
        Signed<BalanceProof> short1 = Signed.sign(new BalanceProof(nodes.channelId, held.sentNonce() + 1,
                held.sentTotal().plus(PRICE).minus(Amount.of(1))), nodes.contract.domain(), nodes.client.context().key());
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unpaid = http.send(get("/api/quote"), HttpResponse.BodyHandlers.ofString());
        PaymentOffer channel = PaymentOffer.fromPaymentRequired(unpaid.headers().firstValue(X402.PAYMENT_REQUIRED)
                .orElseThrow()).stream().filter(o -> o.terms().scheme().equals(PaymentRequirements.CHANNEL))
                .findFirst().orElseThrow();

        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(nodes.paid("/api/quote"))
                .header(channel.paymentHeader(), channel.payment(short1)).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(refused.statusCode()).isEqualTo(402);
        assertThat(JsonObjectReader.parse(refused.body().getBytes(StandardCharsets.UTF_8)).string("code"))
                .isEqualTo("payment_insufficient");
        assertThat(nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal()).isEqualTo(receivedBefore);
    }

    @Test
    void aPriceOverEitherCapIsRefusedWithItsCodeAndNothingIsPaid() {
        PaywallClient client = nodes.client.paywallClient();
        Amount sentBefore = nodes.client.channel(nodes.channelId).orElseThrow().sentTotal();
        Amount spentBefore = client.spentToday();
        Amount usedBefore = usedAtClient();

        assertThatThrownBy(() -> client.fetch(get("/api/quote"), new NodeConfig.PaywallCaps(PRICE.minus(Amount.of(1)),
                PRICE.times(1_000))))
                .isInstanceOf(TurnpikeException.class)
                .hasMessageContaining("max-per-request")
                .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED);
        assertThatThrownBy(() -> client.fetch(get("/api/quote"), new NodeConfig.PaywallCaps(PRICE,
                spentBefore.plus(PRICE).minus(Amount.of(1)))))
                .hasMessageContaining("max-per-day")
                .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED);

        // The day's cap is checked in the commit that would write the proof: refused, the store has neither.
        assertThat(nodes.client.channel(nodes.channelId).orElseThrow().sentTotal()).isEqualTo(sentBefore);
        assertThat(client.spentToday()).isEqualTo(spentBefore);
        assertThat(usedAtClient()).isEqualTo(usedBefore);
    }

    @Test
    void ofTwoRequestsAtOnceThatTheDaysCapFitsOnceOneIsPaidAndTheOtherRefusedWithNothingWritten() throws Exception {
        PaywallClient client = nodes.client.paywallClient();
        Amount sentBefore = nodes.client.channel(nodes.channelId).orElseThrow().sentTotal();
        Amount spentBefore = client.spentToday();
        Amount usedBefore = usedAtClient();
        NodeConfig.PaywallCaps oneMore = new NodeConfig.PaywallCaps(PRICE, spentBefore.plus(PRICE));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Object>> outcomes = new ArrayList<>();
        try (ExecutorService payers = Executors.newFixedThreadPool(2)) {
            for (int n = 0; n < 2; n++) {
                outcomes.add(payers.submit(() -> {
                    go.await();
                    try {
                        return client.fetch(get("/api/quote"), oneMore).status();
                    } catch (TurnpikeException refused) {
                        return refused.code();
                    }
                }));
            }
            go.countDown();
        }

        assertThat(List.of(outcomes.get(0).get(), outcomes.get(1).get()))
                .containsExactlyInAnyOrder(200, ErrorCode.SPENDING_CAP_EXCEEDED);
        assertThat(nodes.client.channel(nodes.channelId).orElseThrow().sentTotal()).isEqualTo(sentBefore.plus(PRICE));
        assertThat(client.spentToday()).isEqualTo(spentBefore.plus(PRICE));
        assertThat(usedAtClient()).isEqualTo(usedBefore.plus(PRICE));
    }

    @Test
    void afterARestartTheDaysSpendingTheLedgersUsedAndTheProofsAllSayWhatWasSigned() throws Exception {
        Path directory = work.resolve("restarted");
        TurnpikeNode buyer = nodes.startClient(directory, "1", "", "");
        Address buyerAddress = buyer.context().key().address();
        LedgerKey atBuyer = new LedgerKey(nodes.providerAddress(), nodes.token.address(), Debtor.US);
        long channelId;
        Amount sentBefore;
        Amount usedBefore;
        Amount spentBefore;
        try {
            channelId = buyer.peers().of(nodes.providerAddress()).await(() -> buyer.peers()
                    .of(nodes.providerAddress()).channels().open(Role.A).orElseThrow().channelId());
            PaywallClient client = buyer.paywallClient();
            sentBefore = buyer.channel(channelId).orElseThrow().sentTotal();
            usedBefore = buyer.context().store().ledger().get(atBuyer).used();
            spentBefore = client.spentToday();
            for (int n = 1; n <= 5; n++) {
                assertThat(client.fetch(get("/api/quote"), GENEROUS).status()).isEqualTo(200);
            }
        } finally {
            DemoNodes.stop(buyer);
        }

        try (Store store = Store.open(StoreConfig.sqlite(directory),
                new NodeIdentity(buyerAddress, nodes.anvil.chainId(), nodes.contract.address()))) {
            Amount signed = store.channels().get(new ChannelRef(nodes.anvil.chainId(), nodes.contract.address(),
                    channelId)).orElseThrow().sentTotal().minus(sentBefore);
            assertThat(signed).isEqualTo(PRICE.times(5));
            assertThat(store.ledger().get(atBuyer).used().minus(usedBefore)).isEqualTo(signed);
            assertThat(PaywallSpending.of(store).spentOn(LocalDate.now(ZoneOffset.UTC)).minus(spentBefore))
                    .isEqualTo(signed);
        }
    }

    /** What the client node's ledger counts as used of the provider. */
    private static Amount usedAtClient() {
        return nodes.client.context().store().ledger().get(new LedgerKey(nodes.providerAddress(),
                nodes.token.address(), Debtor.US)).used();
    }

    @Test
    void anUnpaidPathIsFetchedAsItIsAndCostsNothing() {
        PaywallClient client = nodes.client.paywallClient();

        PaywallClient.Answer answer = client.fetch(HttpRequest.newBuilder(nodes.direct("/v1/quote")).build(), GENEROUS);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.paid()).isEmpty();
    }

    /** The provider's view of {@code client}: other tests' clients are its peers too. */
    private static PeerView viewAtProvider(Address client) {
        return nodes.provider.provider().orElseThrow().views().stream()
                .filter(view -> view.address().equals(client)).findFirst().orElseThrow();
    }

    @Test
    void aPathPaidBeforeIsPaidInTheRequestItselfWithoutAskingFor402Again() throws Exception {
        PaywallClient client = nodes.client.paywallClient();
        Amount sentBefore = nodes.client.channel(nodes.channelId).orElseThrow().sentTotal();
        try (CountingForwarder forwarder = new CountingForwarder(nodes.paid("/"))) {
            HttpRequest request = HttpRequest.newBuilder(forwarder.url("/api/quote")).build();
            for (int n = 1; n <= 5; n++) {
                assertThat(client.fetch(request, GENEROUS).status()).isEqualTo(200);
            }

            assertThat(forwarder.paymentRequiredAnswers()).as("only the first request learnt the terms").isEqualTo(1);
            assertThat(forwarder.requests()).as("one 402, then one request each").isEqualTo(6);
        }
        assertThat(nodes.client.channel(nodes.channelId).orElseThrow().sentTotal())
                .isEqualTo(sentBefore.plus(PRICE.times(5)));
    }

    /** Passes requests to the paywall, as any HTTP hop would, counting them and its 402s. */
    private static final class CountingForwarder implements AutoCloseable {

        private final HttpServer server;
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI paywall;
        private final AtomicInteger requests = new AtomicInteger();
        private final AtomicInteger paymentRequired = new AtomicInteger();

        CountingForwarder(URI paywall) throws IOException {
            this.paywall = paywall;
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::forward);
            server.start();
        }

        URI url(String path) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        }

        int requests() {
            return requests.get();
        }

        int paymentRequiredAnswers() {
            return paymentRequired.get();
        }

        private void forward(HttpExchange exchange) throws IOException {
            requests.incrementAndGet();
            HttpRequest.Builder onward = HttpRequest.newBuilder(paywall.resolve(exchange.getRequestURI().getPath()));
            for (String header : new String[] {X402.PAYMENT_SIGNATURE, X402.X_PAYMENT}) {
                Optional.ofNullable(exchange.getRequestHeaders().getFirst(header))
                        .ifPresent(value -> onward.header(header, value));
            }
            HttpResponse<byte[]> answer;
            try {
                answer = http.send(onward.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            if (answer.statusCode() == 402) {
                paymentRequired.incrementAndGet();
            }
            for (String header : new String[] {X402.PAYMENT_REQUIRED, X402.PAYMENT_RESPONSE, "Content-Type"}) {
                answer.headers().firstValue(header)
                        .ifPresent(value -> exchange.getResponseHeaders().add(header, value));
            }
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(answer.body());
            }
        }

        @Override
        public void close() {
            server.stop(0);
            http.close();
        }
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(nodes.paid(path)).build();
    }
}
