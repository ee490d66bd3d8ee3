package io.turnpike.node.tower;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.turnpike.chain.MutableClock;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.Role;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.turnpike.store.NodeIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The uploader against a scripted tower over HTTP: what is sent (only the newest proof, signed for that tower and
 * reward), when (batched, rate-limited, backing off) and what counts as held (only a receipt the tower signed).
 * The end-to-end tests against the real tower are in the tower module, which builds after the node.
 */
class TowerUploaderTest {

    private static final long CHAIN_ID = 31337;
    private static final Address CONTRACT = Address.of("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    private static final Eip712Domain DOMAIN = Eip712Domain.turnpike(CHAIN_ID, CONTRACT);
    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Amount REWARD = Amount.of(1000);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path folder;

    private final SecureRandom random = new SecureRandom();
    private final PrivateKey node = PrivateKey.random(random);
    private final PrivateKey client = PrivateKey.random(random);
    private final PrivateKey towerKey = PrivateKey.random(random);
    private final MutableClock clock = MutableClock.startingNow();
    private final ScriptedTower tower = new ScriptedTower();
    private Store store;
    private TowerUploader uploader;

    @BeforeEach
    void open() {
        store = Store.open(StoreConfig.sqlite(folder), new NodeIdentity(node.address(), CHAIN_ID, CONTRACT));
    }

    @AfterEach
    void close() {
        if (uploader != null) {
            uploader.close();
        }
        tower.close();
        store.close();
    }

    @Test
    void onlyTheNewestProofIsUploadedAndItCountsAsHeldOnceTheTowerSignedTheReceipt() {
        start(10);
        for (int nonce = 1; nonce <= 3; nonce++) {
            receive(7, nonce, 1000L * nonce);
        }

        uploader.uploadDue();

        assertThat(tower.uploads).singleElement().satisfies(upload -> {
            assertThat(upload.proof().message()).isEqualTo(new BalanceProof(7, 3, Amount.of(3000)));
            assertThat(upload.proof().isSignedBy(client.address(), DOMAIN)).isTrue();
            // The node's own signature binds this proof, this reward and this tower: nobody else can collect it.
            assertThat(upload.request().message()).isEqualTo(
                    new MonitorRequest(7, 3, Amount.of(3000), REWARD, towerKey.address()));
            assertThat(upload.request().isSignedBy(node.address(), DOMAIN)).isTrue();
        });
        assertThat(held()).isEqualTo(Map.of(7L, 3L));

        clock.advance(INTERVAL);
        uploader.uploadDue();
        assertThat(tower.uploads).as("nothing new to upload").hasSize(1);

        receive(7, 4, 4500);
        receive(7, 5, 5000);
        clock.advance(INTERVAL);
        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(2);
        assertThat(tower.uploads.get(1).proof().message().nonce()).isEqualTo(5);
        assertThat(held()).isEqualTo(Map.of(7L, 5L));
    }

    @Test
    void aReceiptNotSignedByTheConfiguredTowerIsNotCountedAndTheProofIsSentAgainLater() {
        start(10);
        receive(7, 1, 1000);
        tower.receiptSigner = PrivateKey.random(random);

        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(1);
        assertThat(held()).isEmpty();

        uploader.uploadDue();
        assertThat(tower.uploads).as("backing off").hasSize(1);

        tower.receiptSigner = towerKey;
        clock.advance(INTERVAL);
        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(2);
        assertThat(held()).isEqualTo(Map.of(7L, 1L));
    }

    @Test
    void aTowerThatWasDownGetsTheNewestProofOnceItIsBack() {
        start(10);
        receive(7, 1, 1000);
        tower.status = 503;

        uploader.uploadDue();
        assertThat(held()).isEmpty();

        receive(7, 2, 2000);
        receive(7, 3, 3000);
        tower.status = 200;
        uploader.uploadDue();
        assertThat(tower.uploads).as("backing off after the failure").hasSize(1);

        clock.advance(INTERVAL);
        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(2);
        assertThat(tower.uploads.get(1).proof().message().nonce()).isEqualTo(3);
        assertThat(held()).isEqualTo(Map.of(7L, 3L));
    }

    @Test
    void aProofTheTowerDeclinedIsNotSentAgainButTheNextOneIs() {
        start(10);
        receive(7, 1, 1000);
        tower.refusal = "stale_proof";

        uploader.uploadDue();
        clock.advance(INTERVAL.multipliedBy(10));
        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(1);
        assertThat(held()).isEmpty();

        tower.refusal = null;
        receive(7, 2, 2000);
        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(2);
        assertThat(held()).isEqualTo(Map.of(7L, 2L));
    }

    @Test
    void atMostTheConfiguredNumberOfUploadsGoToATowerPerInterval() {
        start(2);
        receive(7, 1, 1000);
        receive(8, 1, 1000);
        receive(9, 1, 1000);

        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(2);

        clock.advance(INTERVAL);
        uploader.uploadDue();
        assertThat(tower.uploads).hasSize(3);
        assertThat(held()).isEqualTo(Map.of(7L, 1L, 8L, 1L, 9L, 1L));
    }

    private void start(int uploadsPerInterval) {
        NodeConfig.Tower config = new NodeConfig.Tower(tower.url(), towerKey.address(), REWARD);
        uploader = new TowerUploader(new NodeConfig.Watchtowers(List.of(config), INTERVAL, uploadsPerInterval),
                store.channels(), node, DOMAIN, clock);
    }

    private Map<Long, Long> held() {
        return uploader.holdings().get(0).heldNonces();
    }

    /** The client pays this node in channel {@code channelId}: its proof, as the provider writes it down. */
    private void receive(long channelId, long nonce, long transferred) {
        ChannelRef ref = new ChannelRef(CHAIN_ID, CONTRACT, channelId);
        Channel channel = store.channels().get(ref).orElseGet(() -> Channel.opened(DOMAIN, channelId, node.address(),
                client.address(), Address.ZERO, Role.B, 3600, ChannelSide.EMPTY,
                new ChannelSide(Amount.of(Long.MAX_VALUE), Amount.ZERO)));
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(channelId, nonce, Amount.of(transferred)), DOMAIN,
                client);
        // As the provider's channel owner writes it: the proof's transition, then the channel persisted.
        store.channels().put(channel.transition(new Channel.ReceiveProof(proof)).channel());
    }

    /** What a tower was sent. */
    private record Upload(Signed<BalanceProof> proof, Signed<MonitorRequest> request) {
    }

    /** A tower whose answers the test sets: a receipt signed by {@link #receiptSigner}, a refusal, or an HTTP status. */
    private final class ScriptedTower implements AutoCloseable {

        final List<Upload> uploads = new CopyOnWriteArrayList<>();
        volatile PrivateKey receiptSigner = towerKey;
        volatile String refusal;
        volatile int status = 200;
        private final HttpServer server;

        ScriptedTower() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            server.createContext("/v1/proofs", exchange -> {
                JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
                JsonNode p = body.get("proof");
                BalanceProof proof = new BalanceProof(Long.parseLong(p.get("channelId").stringValue()),
                        Long.parseLong(p.get("nonce").stringValue()),
                        Amount.of(new java.math.BigInteger(p.get("transferred").stringValue())));
                Amount reward = Amount.of(new java.math.BigInteger(body.get("request").get("reward").stringValue()));
                uploads.add(new Upload(new Signed<>(proof, Signature.fromHex(p.get("signature").stringValue())),
                        new Signed<>(new MonitorRequest(proof.channelId(), proof.nonce(), proof.transferred(), reward,
                                towerKey.address()), Signature.fromHex(body.get("request").get("signature")
                                .stringValue()))));
                String answer;
                int code = status;
                if (code != 200) {
                    answer = "{\"code\":\"unavailable\",\"message\":\"down for maintenance\"}";
                } else if (refusal != null) {
                    code = 409;
                    answer = "{\"code\":\"" + refusal + "\",\"message\":\"scripted\"}";
                } else {
                    Signature receipt = Signed.sign(new MonitorReceipt(proof.channelId(), proof.nonce(),
                            proof.transferred(), node.address()), DOMAIN, receiptSigner).signature();
                    answer = "{\"channelId\":\"" + proof.channelId() + "\",\"nonce\":\"" + proof.nonce()
                            + "\",\"receipt\":\"" + receipt.toHex() + "\"}";
                }
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(code, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
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
        }
    }
}
