package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.fixtures.Cast;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.service.RpcService;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.rpc.CostTable;
import io.turnpike.rpc.MethodCost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client node buys JSON-RPC from a provider node whose front stands before a real anvil, paying through a channel:
 * the real cast, pointed at the client's local entry, gets the chain's answers, each request is charged per the cost
 * table, and the provider is paid, to the wei, what the client's ledger says it used.
 */
class RpcThroughNodesTest {

    /** Wei per cost unit. */
    private static final long PRICE = 1_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path folder;

    private DataDirs.Initialised providerDir;
    private DataDirs.Initialised clientDir;
    private TurnpikeNode provider;
    private TurnpikeNode client;
    private RecordingRpcProxy cast;

    @AfterEach
    void stop() {
        if (cast != null) {
            cast.close();
        }
        for (TurnpikeNode node : new TurnpikeNode[] {client, provider}) {
            if (node != null) {
                node.close();
                node.context().close();
            }
        }
    }

    @Test
    void castThroughTheEntryGetsTheChainsAnswersAndTheProviderIsPaidToTheWeiWhatTheTableCharged() throws Exception {
        Anvil anvil = SharedAnvil.get();
        long firstBlock = anvil.connect().head();
        TestNodes nodes = new TestNodes(anvil, folder);
        startNodes(nodes, anvil);
        String direct = anvil.rpcUrl();
        String paid = cast.url();

        long before = Long.parseLong(run("block-number", "--rpc-url", direct));
        long through = Long.parseLong(run("block-number", "--rpc-url", paid));
        assertThat(through).isBetween(before, Long.parseLong(run("block-number", "--rpc-url", direct)));

        PrivateKey holder = TestNodes.newKey();
        nodes.account(holder, 3);
        assertThat(run("balance", holder.address().toString(), "--rpc-url", paid))
                .isEqualTo(run("balance", holder.address().toString(), "--rpc-url", direct))
                .isEqualTo("3000000000000000000");

        String contract = nodes.contract.address().toString();
        assertThat(run("call", contract, "domainSeparator()(bytes32)", "--rpc-url", paid))
                .isEqualTo(run("call", contract, "domainSeparator()(bytes32)", "--rpc-url", direct))
                .startsWith("0x");

        // The channel the client opened to pay the provider is in the contract's logs.
        String[] logs = {"logs", "--from-block", Long.toString(firstBlock), "--to-block", "latest",
            "--address", contract};
        String logsThrough = run(withRpc(logs, paid));
        assertThat(logsThrough).isEqualTo(run(withRpc(logs, direct))).contains("address: " + contract);

        PrivateKey sender = TestNodes.newKey();
        nodes.account(sender, 1);
        Address recipient = TestNodes.newKey().address();
        run("send", "--private-key", "0x" + HexFormat.of().formatHex(sender.bytes()), recipient.toString(),
                "--value", "12345", "--rpc-url", paid);
        assertThat(anvil.connect().balance(recipient)).isEqualTo(Amount.of(12_345));

        List<String> methods = new ArrayList<>();
        long units = 0;
        for (RecordingRpcProxy.Exchange exchange : cast.exchanges) {
            assertThat(exchange.cost()).as(exchange.request()).isEqualTo(tableCost(exchange, methods));
            units += exchange.cost();
        }
        assertThat(methods).contains("eth_blockNumber", "eth_getBalance", "eth_call", "eth_getLogs",
                "eth_sendRawTransaction");

        // Once the client has paid what it owes and the provider has priced its last requests (at its next tick),
        // both ledgers say the same, to the wei: the units times the price.
        Amount used = Amount.of(units * PRICE);
        awaitBothLedgersAt(used);
        PeerView atClient = single(client.payments().orElseThrow().views());
        PeerView atProvider = single(provider.provider().orElseThrow().views());
        assertThat(atProvider.used()).isEqualTo(used);
        assertThat(atProvider.paid()).isEqualTo(atClient.paid()).isEqualTo(used);
        long channelId = atClient.channelId().orElseThrow();
        assertThat(provider.channel(channelId).orElseThrow().received().orElseThrow().message().transferred())
                .isEqualTo(client.channel(channelId).orElseThrow().sent().orElseThrow().message().transferred());
    }

    @Test
    void aQuoteSaysWhatEachBalanceWouldGetNowAgainstTheClientHoldingTheOneSeat() throws Exception {
        Anvil anvil = SharedAnvil.get();
        TestNodes nodes = new TestNodes(anvil, folder);
        // One seat of 1000 units/s; the client's channel holds 1 ETH, which at 1000 wei a unit pays for the seat for
        // 10^12 s: half an ether is outweighed, two ether outweigh it even a minute of use later.
        // Its table doubles eth_blockNumber: the offer carries it to the client, whose entry prices by it.
        startNodes(nodes, anvil, "total-capacity = 1000, paid-capacity = 1000, free-capacity = 100, buffer = 30s\n"
                + "methods = [{method = \"eth_blockNumber\", base = 20}]");
        Address seated = clientDir.address();
        Downloads.await(() -> provider.provider().orElseThrow().views().stream()
                .anyMatch(view -> view.address().equals(seated) && view.channelId().isPresent()), Duration.ofSeconds(60));
        assertThat(client.payments().orElseThrow().terms(providerDir.address(), RpcService.NAME).orElseThrow().costs())
                .contains(new Offer.Cost("eth_blockNumber", 20, 0), new Offer.Cost("eth_call", 26, 0));
        run("block-number", "--rpc-url", cast.url()); // takes the seat
        assertThat(cast.exchanges).filteredOn(e -> e.request().contains("eth_blockNumber"))
                .extracting(RecordingRpcProxy.Exchange::cost).containsOnly(20L);
        // The provider's API shows the client at the seat's capacity, its buffer less what it spent, at the price.
        RpcClientView shown = single(new RunningNodeControl(provider).services().rpcClients());
        assertThat(shown.client()).isEqualTo(seated);
        assertThat(shown.tier()).isEqualTo("paid");
        assertThat(shown.capacity()).isEqualTo(1000);
        assertThat(shown.bufferLimit()).isEqualTo(30_000);
        assertThat(shown.buffer()).isBetween(30_000L - cast.exchanges.stream()
                .mapToLong(RecordingRpcProxy.Exchange::cost).sum(), 30_000L); // refilling at 1000 units/s
        assertThat(shown.pricePerUnit()).isEqualTo(Amount.of(PRICE));
        assertThat(shown.notificationsDropped()).isZero();

        Turnpike.Result quoted = Turnpike.withoutTerminal().run("rpc", "quote", "0.5", "2", "--datadir",
                clientDir.directory().toString());

        assertThat(quoted.exitCode()).as(quoted.all()).isZero();
        assertThat(quoted.out().lines()).containsSubsequence(
                "JSON-RPC capacity from " + providerDir.address() + " for a prepaid balance of:",
                "  0.5 ETH  →  100 units/s",
                "  2 ETH  →  1000 units/s");
    }

    @Test
    void withAPriceThatFollowsTheLoadEachRequestIsPaidAtThePriceItWasAdmittedAtToTheWei() throws Exception {
        Anvil anvil = SharedAnvil.get();
        TestNodes nodes = new TestNodes(anvil, folder);
        // Any use in a 10 ms interval is over 1 % of 10000 units/s: the price climbs while cast is busy and decays
        // while it is not, a step of 100 wei at a time within 500…2000.
        startNodes(nodes, anvil, "price { target-utilisation = 1, min = \"500\", max = \"2000\", step = \"100\", "
                + "interval = 10ms }");
        String paid = cast.url();
        PrivateKey sender = TestNodes.newKey();
        nodes.account(sender, 1);
        for (int i = 0; i < 3; i++) {
            run("block-number", "--rpc-url", paid);
            run("send", "--private-key", "0x" + HexFormat.of().formatHex(sender.bytes()),
                    TestNodes.newKey().address().toString(), "--value", "1", "--rpc-url", paid);
        }

        Amount used = Amount.ZERO;
        Set<Long> prices = new HashSet<>();
        for (RecordingRpcProxy.Exchange exchange : cast.exchanges) {
            assertThat(exchange.price()).as(exchange.request()).isBetween(500L, 2000L);
            used = used.plus(Amount.of(exchange.price()).times(exchange.cost()));
            prices.add(exchange.price());
        }
        assertThat(prices).as("the price moved with the load").hasSizeGreaterThan(1);
        awaitBothLedgersAt(used);
        assertThat(single(provider.provider().orElseThrow().views()).used()).isEqualTo(used);
        assertThat(single(client.payments().orElseThrow().views()).paid()).isEqualTo(used);
    }

    @Test
    void aWalletsWebSocketSubscriptionThroughTheEntryGetsAnvilsBlocksEachPaidToTheWei() throws Exception {
        Anvil anvil = SharedAnvil.get();
        TestNodes nodes = new TestNodes(anvil, folder);
        startNodes(nodes, anvil);
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + client.rpcEntryPort().orElseThrow() + "/"),
                        new Frames(frames)).get(30, TimeUnit.SECONDS);

        socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":[\"newHeads\"]}", true);
        String id = next(frames).path("result").stringValue();
        anvil.mine(3);
        long head = anvil.connect().head();
        // Every block from the first notified to the head, once each, in order (the nodes may mine some too).
        List<Long> blocks = new ArrayList<>();
        while (blocks.isEmpty() || blocks.getLast() < head) {
            JsonNode notification = next(frames);
            assertThat(notification.path("params").path("subscription").stringValue()).isEqualTo(id);
            blocks.add(Long.decode(notification.path("params").path("result").path("number").stringValue()));
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < blocks.size(); i++) {
            assertThat(blocks.get(i)).isEqualTo(blocks.get(i - 1) + 1);
        }
        socket.sendText("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"eth_unsubscribe\",\"params\":[\"" + id + "\"]}",
                true);
        JsonNode unsubscribed = next(frames);
        while (unsubscribed.has("method")) {
            blocks.add(Long.decode(unsubscribed.path("params").path("result").path("number").stringValue()));
            unsubscribed = next(frames);
        }
        assertThat(unsubscribed.path("result").asBoolean()).isTrue();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);

        // Each notification sent cost newHeads' 10 units, at the price; both ledgers say so to the wei.
        long perHead = CostTable.defaults().notification("newHeads").orElseThrow().base();
        awaitBothLedgersAt(Amount.of(blocks.size() * perHead * PRICE));

        // The real cast speaks WebSocket to the entry too.
        long before = Long.parseLong(run("block-number", "--rpc-url", anvil.rpcUrl()));
        assertThat(Long.parseLong(run("block-number", "--rpc-url", "ws://127.0.0.1:"
                + client.rpcEntryPort().orElseThrow()))).isBetween(before, anvil.connect().head());
    }

    /** A program's WebSocket frames, whole, in the order they came. */
    private record Frames(BlockingQueue<String> frames, StringBuilder partial) implements WebSocket.Listener {
        Frames(BlockingQueue<String> frames) {
            this(frames, new StringBuilder());
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }
    }

    private static JsonNode next(BlockingQueue<String> frames) throws InterruptedException {
        String frame = frames.poll(30, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within 30 s").isNotNull();
        return JSON.readTree(frame);
    }

    /** Until the client has paid all it owes and both ledgers say {@code used}, to the wei. */
    private void awaitBothLedgersAt(Amount used) throws InterruptedException {
        Downloads.await(() -> {
            PeerView atClient = single(client.payments().orElseThrow().views());
            PeerView atProvider = single(provider.provider().orElseThrow().views());
            return atClient.used().equals(used) && atClient.owed().isZero() && atProvider.paid().equals(used)
                    && atProvider.used().equals(used);
        }, Duration.ofSeconds(30));
    }

    /** A provider selling only rpc, before anvil; a client buying it through a channel; cast recorded at its entry. */
    private void startNodes(TestNodes nodes, Anvil anvil) throws InterruptedException {
        startNodes(nodes, anvil, "");
    }

    private void startNodes(TestNodes nodes, Anvil anvil, String rpcSettings) throws InterruptedException {
        providerDir = nodes.datadir("provider", 10);
        clientDir = nodes.datadir("client", 10);
        int providerPeer = FreePort.take();
        int front = FreePort.take();
        nodes.configure(providerDir, "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                + "provider { enabled = true, payment-threshold = \"1000000000\", statement-interval = 1s\n"
                + "  services.bandwidth.enabled = false\n"
                + "  services.rpc { enabled = true, bind = \"127.0.0.1\", port = " + front + ", upstreams = [\""
                + anvil.rpcUrl() + "\"], price-per-unit = \"" + PRICE + "\"\n" + rpcSettings + " } }");
        nodes.configure(clientDir, "peer { bind = \"127.0.0.1\", port = " + FreePort.take() + " }\n"
                + "client { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \""
                + providerDir.address() + "\"}], socks-port = 0, deposit = \"1\", pay-interval = 1s\n"
                + "  services.rpc { provider = \"" + providerDir.address() + "\", front = \"http://127.0.0.1:" + front
                + "\", listen = \"127.0.0.1:" + FreePort.take() + "\" } }");
        provider = nodes.start(providerDir);
        client = nodes.start(clientDir);
        Downloads.await(() -> client.payments().orElseThrow().sessionToken(providerDir.address(), RpcService.NAME)
                .isPresent(), Duration.ofSeconds(60));
        cast = new RecordingRpcProxy(URI.create("http://127.0.0.1:" + client.rpcEntryPort().orElseThrow()));
    }

    /**
     * What the cost table says an exchange costs: each call's base, and for eth_getLogs one unit per log returned (the
     * ranges asked here span far more blocks than they hold logs, so the cap at the range is never reached); a method
     * not in the table nothing.
     */
    private static long tableCost(RecordingRpcProxy.Exchange exchange, List<String> methods) {
        JsonNode request = JSON.readTree(exchange.request());
        JsonNode answer = JSON.readTree(exchange.answer());
        Map<String, JsonNode> answers = new HashMap<>();
        for (JsonNode a : answer.isArray() ? answer : List.of(answer)) {
            answers.put(a.path("id").toString(), a);
        }
        long cost = 0;
        for (JsonNode call : request.isArray() ? request : List.of(request)) {
            String method = call.path("method").stringValue();
            methods.add(method);
            JsonNode answered = answers.get(call.path("id").toString());
            Optional<MethodCost> entry = CostTable.defaults().cost(method);
            if (entry.isEmpty()) {
                // Not in the table (cast probes anvil_nodeInfo): refused, and free.
                assertThat(answered.path("error").path("data").path("turnpike").stringValue())
                        .isEqualTo("method_not_served");
                continue;
            }
            long logs = method.equals("eth_getLogs") ? answered.path("result").size() : 0;
            cost += entry.get().forItems(logs);
        }
        return cost;
    }

    private static String run(String... args) {
        return Cast.run(args).strip();
    }

    private static String[] withRpc(String[] args, String url) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--rpc-url", url));
        return all.toArray(String[]::new);
    }

    private static <T> T single(List<T> views) {
        assertThat(views).hasSize(1);
        return views.get(0);
    }
}
