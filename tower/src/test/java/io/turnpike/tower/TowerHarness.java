package io.turnpike.tower;

import static org.assertj.core.api.Assertions.fail;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.chain.tx.TxConfig;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.turnpike.store.TowerEntry;
import io.turnpike.store.TowerPhase;
import io.turnpike.store.TowerStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One watchtower as an operator runs it, on the test's anvil: its own key, a real SQLite store in a directory
 * that outlives {@link #stop()} (so {@link #start()} is a restart), its API on a free loopback port, and the
 * test's clock, which the test keeps in step with the chain's. Transactions count at one confirmation: anvil
 * mines them at once.
 */
final class TowerHarness implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int MAX_ROUNDS = 20;

    final ChannelFixture f;
    final PrivateKey key;
    final MutableClock clock;
    private final Path dir;
    private final HttpLimits httpLimits;
    private final Chain chain;
    private Store store;
    private Watchtower tower;

    private TowerHarness(ChannelFixture f, PrivateKey key, MutableClock clock, Path dir, HttpLimits httpLimits) {
        this.f = f;
        this.key = key;
        this.clock = clock;
        this.dir = dir;
        this.httpLimits = httpLimits;
        this.chain = Chain.connect(RpcConfig.of(f.anvil.rpcUrl()).withChainId(SharedAnvil.CHAIN_ID).withClock(clock));
    }

    /** A running tower with {@code key}, keeping its database under {@code dir}. */
    static TowerHarness started(ChannelFixture f, PrivateKey key, MutableClock clock, Path dir) {
        return started(f, key, clock, dir, HttpLimits.defaults());
    }

    /** A running tower whose API holds its clients to {@code httpLimits}. */
    static TowerHarness started(ChannelFixture f, PrivateKey key, MutableClock clock, Path dir,
                                HttpLimits httpLimits) {
        TowerHarness harness = new TowerHarness(f, key, clock, dir, httpLimits);
        harness.start();
        return harness;
    }

    /** A clock at the chain's time; move both together with {@link #advance}. */
    static MutableClock chainClock(ChannelFixture f) {
        return new MutableClock(Instant.ofEpochSecond(f.chainTime()));
    }

    /** Moves the chain's time and the towers' clock forward together. */
    static void advance(ChannelFixture f, MutableClock clock, long seconds) {
        f.anvil.advanceTime(seconds);
        clock.advance(Duration.ofSeconds(seconds));
    }

    void start() {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store = Store.open(StoreConfig.sqlite(dir).withClock(clock),
                new NodeIdentity(key.address(), SharedAnvil.CHAIN_ID, f.channels.address()));
        TowerConfig config = TowerConfig.defaults()
                .withListener("127.0.0.1", 0)
                .withHttpLimits(httpLimits)
                .withTx(TxConfig.defaults().withConfirmations(1).withStuckAfter(Duration.ofSeconds(30), 3))
                .withClock(clock);
        tower = Watchtower.start(config, chain, f.channels.address(), key, store);
    }

    /** Stops the tower as SIGTERM does: the API closes, the store is released; the chain goes on. */
    void stop() {
        tower.close();
        store.close();
        tower = null;
    }

    void tick() {
        tower.tick();
    }

    /** Rounds until the entry reaches {@code phase}; anvil mines at once, so a few rounds always suffice. */
    TowerEntry tickUntil(long channelId, Address nonCloser, TowerPhase phase) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            tick();
            TowerEntry entry = towers().get(channelId, nonCloser).orElseThrow();
            if (entry.watch().phase() == phase) {
                return entry;
            }
        }
        return fail("channel %d not %s after %d rounds: %s", channelId, phase, MAX_ROUNDS,
                towers().get(channelId, nonCloser));
    }

    Address address() {
        return key.address();
    }

    TowerStore towers() {
        return store.towers();
    }

    /** The running tower's store, for tests that stage what a crash would leave behind. */
    Store store() {
        return store;
    }

    /** The tower's own connection to the chain. */
    Chain chain() {
        return chain;
    }

    /** Transactions the tower's key has had mined: what it has spent gas on. */
    long sentOnChain() {
        return f.chain.nonce(address());
    }

    Amount balance() {
        return f.chain.balance(address());
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(tower.url().resolve(path)).GET());
    }

    Reply post(String path, String body) {
        return send(HttpRequest.newBuilder(tower.url().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    URI url() {
        return tower.url();
    }

    private static Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), JsonObjectReader.MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (tower != null) {
            stop();
        }
        chain.close();
    }

    /** An API answer: its status and JSON body. */
    record Reply(int status, JsonNode body) {
        String code() {
            return body.path("code").asString();
        }
    }
}
