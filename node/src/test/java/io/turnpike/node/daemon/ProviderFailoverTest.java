package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.service.RpcService;
import io.turnpike.rpc.RpcFront;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client node that buys JSON-RPC from two provider nodes on a real anvil, choosing among them: the cheaper takes
 * the requests until it goes away mid-use, then the other does; each is paid exactly what it served, and nothing owed
 * to one is paid to the other.
 */
class ProviderFailoverTest {

    /** Wei per cost unit: the cheaper provider's, and the other's. */
    private static final long CHEAP = 1_000;
    private static final long DEAR = 3_000;
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";

    @TempDir
    Path folder;

    private final Map<String, TurnpikeNode> running = new HashMap<>();
    /** Each provider's entry in the client's turnpike.client.providers. */
    private final Map<Address, String> endpoints = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        running.values().forEach(ProviderFailoverTest::stop);
        http.close();
    }

    @Test
    void whenTheChosenProviderGoesAwayRequestsGoToTheOtherAndEachIsPaidExactlyWhatItServed() throws Exception {
        Anvil anvil = SharedAnvil.get();
        TestNodes nodes = new TestNodes(anvil, folder);
        DataDirs.Initialised cheapDir = provider(nodes, anvil, "cheap", CHEAP);
        DataDirs.Initialised dearDir = provider(nodes, anvil, "dear", DEAR);
        Address cheap = cheapDir.address();
        Address dear = dearDir.address();
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        nodes.configure(clientDir, "peer { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\n"
                + "client { providers = [" + entry(cheapDir) + ", " + entry(dearDir) + "], socks-port = 0, "
                + "deposit = \"1\", pay-interval = 1s\n"
                + "  services.rpc { enabled = true, listen = \"127.0.0.1:" + FreePort.take() + "\" } }");
        TurnpikeNode client = start(nodes, clientDir, "client");
        Downloads.await(() -> serves(client, cheap) && serves(client, dear), PATIENCE);
        URI entry = URI.create("http://127.0.0.1:" + client.rpcEntryPort().orElseThrow() + "/");

        // Both connected: the cheaper is chosen, and every request is answered (and charged) at its price.
        assertThat(client.providerChoice().chosen(RpcService.NAME)).contains(cheap);
        Map<Long, Long> chargedAtPrice = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            charge(chargedAtPrice, send(entry).orElseThrow());
        }
        assertThat(chargedAtPrice.keySet()).containsExactly(CHEAP);

        // It goes away mid-use. A request that fails there is sent again until it is answered: by the other.
        stop(running.remove("cheap"));
        AtomicReference<HttpResponse<String>> answered = new AtomicReference<>();
        Downloads.await(() -> send(entry).map(answer -> {
            answered.set(answer);
            return true;
        }).orElse(false), PATIENCE);
        charge(chargedAtPrice, answered.get());
        for (int i = 0; i < 3; i++) {
            charge(chargedAtPrice, send(entry).orElseThrow());
        }
        assertThat(client.providerChoice().chosen(RpcService.NAME)).contains(dear);
        assertThat(chargedAtPrice.get(DEAR)).isPositive();
        ProvidersView shown = new RunningNodeControl(client).providers();
        assertThat(shown.chosen()).containsEntry(RpcService.NAME, Optional.of(dear));
        assertThat(shown.providers()).filteredOn(p -> p.address().equals(cheap)).singleElement()
                .satisfies(p -> assertThat(p.history().disconnects()).isEqualTo(1));

        // Back, the first is paid what it is still owed, by its own channel; the other exactly what it served.
        TurnpikeNode cheapAgain = start(nodes, cheapDir, "cheap");
        TurnpikeNode dearNode = running.get("dear");
        Amount servedCheap = Amount.of(chargedAtPrice.get(CHEAP) * CHEAP);
        Amount servedDear = Amount.of(chargedAtPrice.get(DEAR) * DEAR);
        Downloads.await(() -> settled(client, cheapAgain, cheap, servedCheap)
                && settled(client, dearNode, dear, servedDear), PATIENCE);

        // Both channels settle cooperatively, each paying its provider to the wei what it served.
        RunningNodeControl control = new RunningNodeControl(client);
        for (Map.Entry<Address, Amount> served : Map.of(cheap, servedCheap, dear, servedDear).entrySet()) {
            long channelId = view(client, served.getKey()).channelId().orElseThrow();
            ChannelView closed = control.closeChannel(channelId, false);
            assertThat(closed.sent()).as("paid to " + served.getKey()).isEqualTo(served.getValue());
            assertThat(closed.state()).isEqualTo("SETTLED");
        }
    }

    /** The price and units one answer was charged at, added up per price: each provider has its own. */
    private static void charge(Map<Long, Long> chargedAtPrice, HttpResponse<String> answer) {
        long units = Long.parseLong(answer.headers().firstValue(RpcFront.COST_HEADER).orElseThrow());
        long price = Long.parseLong(answer.headers().firstValue(RpcFront.PRICE_HEADER).orElseThrow());
        chargedAtPrice.merge(price, units, Long::sum);
    }

    /** A program's request to the entry; empty if the node could not have it answered now. */
    private Optional<HttpResponse<String>> send(URI entry) {
        HttpResponse<String> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(entry).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(BLOCK_NUMBER)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        return answer.statusCode() == 200 && answer.body().contains("\"result\"") ? Optional.of(answer)
                : Optional.empty();
    }

    private static boolean serves(TurnpikeNode client, Address provider) {
        return client.payments().orElseThrow().sessionToken(provider, RpcService.NAME).isPresent();
    }

    /** The client owes {@code provider} nothing, and both say it used and paid {@code served}. */
    private static boolean settled(TurnpikeNode client, TurnpikeNode providerNode, Address provider, Amount served) {
        PeerView atClient = view(client, provider);
        PeerView atProvider = providerNode.provider().orElseThrow().views().stream()
                .filter(v -> v.address().equals(client.context().key().address())).findFirst().orElse(null);
        return atClient.used().equals(served) && atClient.paid().equals(served) && atClient.owed().isZero()
                && atProvider != null && atProvider.used().equals(served) && atProvider.paid().equals(served);
    }

    private static PeerView view(TurnpikeNode client, Address provider) {
        return client.payments().orElseThrow().views().stream().filter(v -> v.address().equals(provider))
                .findFirst().orElseThrow();
    }

    /** A provider node selling only rpc, before anvil, at {@code price} wei a cost unit. */
    private DataDirs.Initialised provider(TestNodes nodes, Anvil anvil, String name, long price) {
        DataDirs.Initialised dir = nodes.datadir(name, 10);
        int peerPort = FreePort.take();
        int front = FreePort.take();
        nodes.configure(dir, "peer { bind = \"127.0.0.1\", port = " + peerPort + " }\n"
                + "provider { enabled = true, payment-threshold = \"1000000000\", statement-interval = 1s\n"
                + "  services.bandwidth.enabled = false\n"
                + "  services.rpc { enabled = true, bind = \"127.0.0.1\", port = " + front + ", upstreams = [\""
                + anvil.rpcUrl() + "\"], price-per-unit = \"" + price + "\" } }");
        endpoints.put(dir.address(), "{url = \"ws://127.0.0.1:" + peerPort + "\", address = \"" + dir.address()
                + "\", rpc-front = \"http://127.0.0.1:" + front + "\"}");
        start(nodes, dir, name);
        return dir;
    }

    private String entry(DataDirs.Initialised provider) {
        return endpoints.get(provider.address());
    }

    private TurnpikeNode start(TestNodes nodes, DataDirs.Initialised dir, String name) {
        TurnpikeNode node = nodes.start(dir);
        running.put(name, node);
        return node;
    }

    private static void stop(TurnpikeNode node) {
        node.close();
        node.context().close();
    }
}
