package io.turnpike.tower;

import static io.turnpike.tower.TowerHarness.advance;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelEvent;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.NodeHome;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.ContentServer;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.store.StoreConfig;
import io.turnpike.store.TowerPhase;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real nodes and real towers on anvil: a provider node buys protection from watchtowers for the proofs its client
 * pays with (DESIGN §9). The node counts a proof as held only on the tower's own signed receipt; a tower answers
 * the client's stale close while the provider is away and is paid out of the provider's payout; and a provider that
 * lost its database rebuilds its channel from the tower and is paid in full.
 */
@ExtendWith(AnvilExtension.class)
class GuardedNodeTest {

    private static final Amount FUNDING = ChannelFixture.ether(10);
    /** 1000 wei per byte: a MiB through the relay pays the provider about 10^9 wei, well above the reward. */
    private static final String PRICE_PER_BYTE = "1000";
    private static final Amount REWARD = Amount.of(100_000_000L);
    private static final long MIB = 1024 * 1024;

    @TempDir
    Path folder;

    private final SecureRandom random = new SecureRandom();
    private final List<AutoCloseable> running = new ArrayList<>();
    private ChannelFixture f;
    private MutableClock clock;
    private long firstBlock;
    private NodeHome providerHome;
    private TurnpikeNode provider;
    private TurnpikeNode client;
    private long channelId;
    private BalanceProof newest;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable resource : running.reversed()) {
            resource.close();
        }
    }

    @Test
    void theProviderCountsAProofAsHeldOnlyOnTheTowersOwnSignedReceipt() throws Exception {
        TowerHarness honest = tower(f.towerKey, "honest");
        TowerHarness behindForger = tower(fundedKey(), "behind-forger");
        ReceiptForger forger = new ReceiptForger(behindForger.url());
        running.add(forger);

        payThroughTheRelay(List.of(towerEntry(honest.url(), honest.address()),
                towerEntry(forger.url(), behindForger.address())));

        DemoNodes.await(() -> held(0) == newest.nonce(), Duration.ofSeconds(30));
        // The second tower did take the proof; the receipt that reached the node was not its signature.
        DemoNodes.await(() -> behindForger.towers().get(channelId, providerAddress())
                .map(e -> e.upload().nonce() == newest.nonce()).orElse(false), Duration.ofSeconds(30));
        // The proxy forges the tower's answer after the tower stored the proof: wait for the answer, not the store.
        DemoNodes.await(() -> forger.forged.get() > 0, Duration.ofSeconds(30));
        assertThat(held(1)).isEqualTo(-1);
        assertThat(honest.towers().get(channelId, providerAddress()).orElseThrow().upload().proof().message())
                .isEqualTo(newest);
    }

    @Test
    void aStaleCloseWhileTheProviderIsAwayIsAnsweredByTheTowerAndPaysItsRewardOutOfTheProvidersPayout()
            throws Exception {
        TowerHarness tower = tower(f.towerKey, "tower");
        payThroughTheRelay(List.of(towerEntry(tower.url(), tower.address())));
        DemoNodes.await(() -> held(0) == newest.nonce(), Duration.ofSeconds(30));
        Amount providerBefore = f.chain.balance(providerAddress());
        Amount towerBefore = tower.balance();
        long beforeClose = f.chain.head();
        DemoNodes.stop(provider);
        running.remove(provider);

        new RunningNodeControl(client).closeChannel(channelId, true);
        // The client's close counts nothing of what it paid: the provider's money now rests on the tower.
        assertThat(f.channels.participant(channelId, clientAddress()).transferred()).isEqualTo(Amount.ZERO);
        tower.tickUntil(channelId, providerAddress(), TowerPhase.SCHEDULED);
        advance(f, clock, ChannelFixture.MIN_PERIOD * 7 / 10);
        tower.tickUntil(channelId, providerAddress(), TowerPhase.DONE);
        assertThat(f.channels.participant(channelId, clientAddress()).nonce()).isEqualTo(newest.nonce());

        advance(f, clock, ChannelFixture.MIN_PERIOD);
        DemoNodes.await(() -> f.channels.channel(channelId).status() == ChannelsContract.Status.SETTLED,
                Duration.ofSeconds(30));
        ChannelEvent.ChannelSettled settled = settledEvent();
        assertThat(settled.payoutB()).isEqualTo(newest.transferred().minus(REWARD));
        assertThat(settled.monitor()).isEqualTo(tower.address());
        assertThat(settled.monitorReward()).isEqualTo(REWARD);
        assertThat(f.chain.balance(providerAddress())).isEqualTo(providerBefore.plus(newest.transferred()).minus(REWARD));
        assertThat(tower.balance()).isEqualTo(towerBefore.plus(REWARD)
                .minus(DemoNodes.gasSpent(f.chain, tower.address(), beforeClose)));
    }

    @Test
    void aProviderThatLostItsDatabaseRestoresTheChannelFromTheTowerAndIsPaidInFull() throws Exception {
        TowerHarness tower = tower(f.towerKey, "tower");
        payThroughTheRelay(List.of(towerEntry(tower.url(), tower.address())));
        DemoNodes.await(() -> held(0) == newest.nonce(), Duration.ofSeconds(30));
        DemoNodes.stop(provider);
        running.remove(provider);
        try (Stream<Path> files = Files.list(providerHome.directory())) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(StoreConfig.SQLITE_FILE)).toList()) {
                Files.delete(file);
            }
        }

        provider = DemoNodes.start(providerHome, true);
        running.add(provider);

        assertThat(provider.restoredChannels()).singleElement().satisfies(channel -> {
            assertThat(channel.ref().channelId()).isEqualTo(channelId);
            assertThat(channel.received().orElseThrow().message()).isEqualTo(newest);
        });
        // The client closes as if the provider had forgotten; the restored provider answers by itself.
        new RunningNodeControl(client).closeChannel(channelId, true);
        DemoNodes.await(() -> f.channels.participant(channelId, clientAddress()).nonce() == newest.nonce(),
                Duration.ofSeconds(30));
        advance(f, clock, ChannelFixture.MIN_PERIOD + 1);
        DemoNodes.await(() -> f.channels.channel(channelId).status() == ChannelsContract.Status.SETTLED,
                Duration.ofSeconds(30));
        ChannelEvent.ChannelSettled settled = settledEvent();
        assertThat(settled.payoutB()).isEqualTo(newest.transferred());
        assertThat(settled.monitorReward()).isEqualTo(Amount.ZERO);
    }

    @BeforeEach
    void deploy(ChannelFixture fixture) {
        f = fixture;
        clock = TowerHarness.chainClock(f);
        firstBlock = f.chain.head();
    }

    /** A tower with {@code key} on this test's chain and clock, keeping its database under {@code name}. */
    private TowerHarness tower(PrivateKey key, String name) {
        TowerHarness tower = TowerHarness.started(f, key, clock, folder.resolve(name));
        running.add(tower);
        return tower;
    }

    private PrivateKey fundedKey() {
        PrivateKey key = PrivateKey.random(random);
        f.deployer.transfer(key.address(), FUNDING);
        return key;
    }

    private static String towerEntry(URI url, Address address) {
        return "{url = \"" + url + "\", address = \"" + address + "\", reward = \"" + REWARD.value() + "\"}";
    }

    /**
     * Starts a provider guarded by {@code towers} and a client buying from it, and has the client fetch a MiB
     * through the relay; returns once the client has paid all it owes.
     */
    private void payThroughTheRelay(List<String> towers) throws Exception {
        providerHome = DemoNodes.home(folder.resolve("provider"), f.deployer, FUNDING, random);
        NodeHome clientHome = DemoNodes.home(folder.resolve("client"), f.deployer, FUNDING, random);
        String onChain = DemoNodes.onChain(f.anvil, f.channels.address()) + "chain.watch-from-block = " + firstBlock
                + "\n";
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        int socks = FreePort.take();
        DemoNodes.configure(providerHome, onChain + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                + DemoNodes.provider(relay, PRICE_PER_BYTE, "1000000000", "", "")
                + "towers = " + towers + "\ntower-upload-interval = 200ms");
        DemoNodes.configure(clientHome, onChain + "peer { bind = \"127.0.0.1\", port = " + FreePort.take()
                + " }\nclient { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \""
                + providerHome.keystore().address() + "\", relay = \"127.0.0.1:" + relay + "\"}], socks-port = "
                + socks + ", deposit = \"1\", pay-interval = 1s, challenge-period = " + ChannelFixture.MIN_PERIOD
                + "s }");
        provider = DemoNodes.start(providerHome, false);
        running.add(provider);
        client = DemoNodes.start(clientHome, false);
        running.add(client);
        ContentServer content = ContentServer.start(64 * MIB);
        running.add(content::close);

        DemoNodes.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(),
                Duration.ofSeconds(60));
        DemoNodes.fetch(socks, content, MIB, new AtomicLong());
        DemoNodes.await(() -> {
            var atClient = client.payments().orElseThrow().views().get(0);
            var atProvider = provider.provider().orElseThrow().views().get(0);
            // Everything fetched is metered (the entry reports a connection's last bytes as it closes), and paid.
            return !atClient.used().isLessThan(Amount.of(Long.parseLong(PRICE_PER_BYTE) * MIB)) && atClient.owed().isZero()
                    && atProvider.used().equals(atClient.used()) && atProvider.paid().equals(atProvider.used());
        }, Duration.ofSeconds(30));
        Channel paying = client.channels().get(0);
        channelId = paying.ref().channelId();
        newest = paying.sent().orElseThrow().message();
        assertThat(newest.transferred()).isGreaterThan(REWARD);
    }

    /** The newest nonce of the channel that the provider's {@code index}-th tower holds by its checked receipt. */
    private long held(int index) {
        return provider.towerHoldings().get(index).heldNonces().getOrDefault(channelId, -1L);
    }

    private Address providerAddress() {
        return providerHome.keystore().address();
    }

    private Address clientAddress() {
        return client.context().key().address();
    }

    private ChannelEvent.ChannelSettled settledEvent() {
        return f.chain.logs(f.channels.address(), firstBlock, f.chain.head()).stream()
                .map(ChannelsContract::decode).flatMap(Optional::stream)
                .filter(e -> e instanceof ChannelEvent.ChannelSettled && e.channelId() == channelId)
                .map(ChannelEvent.ChannelSettled.class::cast).findFirst().orElseThrow();
    }

    /**
     * Sits between the node and a real tower and swaps the tower's receipt for one signed by another key, over the
     * very same MonitorReceipt: what a node would see from a tower that answers without committing to anything.
     */
    private final class ReceiptForger implements AutoCloseable {

        private final HttpServer server;
        private final HttpClient http = HttpClient.newHttpClient();
        private final PrivateKey forgery = PrivateKey.random(random);
        final AtomicInteger forged = new AtomicInteger();

        ReceiptForger(URI tower) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/", exchange -> {
                byte[] request = exchange.getRequestBody().readAllBytes();
                HttpResponse<byte[]> answer;
                try {
                    answer = http.send(HttpRequest.newBuilder(tower.resolve(exchange.getRequestURI().getPath()))
                            .header("Content-Type", "application/json")
                            .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(request))
                            .build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                byte[] body = answer.body();
                if (answer.statusCode() == 200 && exchange.getRequestURI().getPath().equals("/v1/proofs")) {
                    var proof = JsonObjectReader.MAPPER.readTree(request).get("proof");
                    MonitorReceipt receipt = new MonitorReceipt(Long.parseLong(proof.get("channelId").stringValue()),
                            Long.parseLong(proof.get("nonce").stringValue()),
                            Amount.of(new java.math.BigInteger(proof.get("transferred").stringValue())),
                            providerAddress());
                    ObjectNode json = (ObjectNode) JsonObjectReader.MAPPER.readTree(body);
                    json.put("receipt", Signed.sign(receipt, f.domain(), forgery).signature().toHex());
                    body = JsonObjectReader.MAPPER.writeValueAsBytes(json);
                    forged.incrementAndGet();
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(answer.statusCode(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
            http.close();
        }
    }
}
