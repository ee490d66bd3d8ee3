package io.turnpike.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * WebSocket JSON-RPC through a client's entry and a provider's front, before a real anvil: {@code eth_subscribe}
 * notifications are the upstream's, each charged its table price on both sides to the wei; an empty buffer drops and
 * tells; unsubscribing and disconnecting end the subscriptions; refusals are stable JSON-RPC errors, never charged.
 */
class RpcSocketTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Amount PRICE = Amount.of(7);
    private static final Address PROVIDER = Address.of("0x00000000000000000000000000000000000000aa");
    /** Its deploy code: a contract whose every call emits one log, with no topics and no data. */
    private static final String EMITTER = "0x6006600c60003960066000f360006000a000";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static Anvil anvil;

    @BeforeAll
    static void startAnvil() {
        anvil = Anvil.start(31337);
    }

    @AfterAll
    static void stopAnvil() {
        anvil.close();
    }

    /** A front before anvil at {@value}, a client with a session, and that client's entry. */
    private static final class Setup implements AutoCloseable {
        final FrontFixture fixture;
        final Address client;
        final ChargeLog entryCharges = new ChargeLog();
        final RpcEntry entry;

        Setup(UnaryOperator<FrontSettings> adjust) throws IOException {
            fixture = new FrontFixture(adjust.apply(FrontSettings.of(List.of(URI.create(anvil.rpcUrl())))
                    .withPrice(PriceRule.fixed(PRICE))));
            client = fixture.client(1);
            RpcRoute route = new RpcRoute(PROVIDER, fixture.url(), client, fixture.token(client));
            entry = RpcEntry.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    () -> Optional.of(route), entryCharges);
        }

        SocketClient program() throws Exception {
            return SocketClient.connect(URI.create("ws://127.0.0.1:" + entry.port() + "/"), Map.of());
        }

        /** What the front charged the client and what the entry metered for the provider, which must agree. */
        Amount charged() {
            assertThat(entryCharges.costOf(PROVIDER)).isEqualTo(fixture.charges.costOf(client));
            return fixture.charges.costOf(client);
        }

        @Override
        public void close() {
            entry.close();
            fixture.close();
        }
    }

    @Test
    void newHeadsThroughEntryAndFrontAreAnvilsBlocksEachChargedOnBothSides() throws Exception {
        try (Setup setup = new Setup(s -> s); SocketClient program = setup.program()) {
            JsonNode number = program.call(FrontFixture.call(1, "eth_blockNumber", "[]"));
            assertThat(number.path("id").asInt()).isEqualTo(1);
            long before = Long.decode(number.path("result").stringValue());
            assertThat(setup.charged()).isEqualTo(PRICE.times(10));

            JsonNode subscribed = program.call(FrontFixture.call(2, "eth_subscribe", "[\"newHeads\"]"));
            String id = subscribed.path("result").stringValue();
            assertThat(id).startsWith("0x");
            anvil.mine(3);
            for (long n = before + 1; n <= before + 3; n++) {
                JsonNode head = program.next();
                assertThat(head.path("method").stringValue()).isEqualTo("eth_subscription");
                assertThat(head.path("params").path("subscription").stringValue()).isEqualTo(id);
                JsonNode result = head.path("params").path("result");
                assertThat(Long.decode(result.path("number").stringValue())).isEqualTo(n);
                assertThat(result.path("hash").stringValue()).isEqualTo(blockHash(n));
            }
            assertThat(setup.charged()).isEqualTo(PRICE.times(10 + 3 * 10));

            JsonNode unsubscribed = program.call(FrontFixture.call(3, "eth_unsubscribe", "[\"" + id + "\"]"));
            assertThat(unsubscribed.path("result").asBoolean()).isTrue();
            // A new subscription, made after the first ended, sees the next blocks; the ended one nothing more.
            String second = program.call(FrontFixture.call(4, "eth_subscribe", "[\"newHeads\"]")).path("result")
                    .stringValue();
            anvil.mine(2);
            for (int i = 0; i < 2; i++) {
                assertThat(program.next().path("params").path("subscription").stringValue()).isEqualTo(second);
            }
            assertThat(setup.charged()).isEqualTo(PRICE.times(10 + 5 * 10));
            assertThat(program.received).isEmpty();
        }
    }

    @Test
    void callsWithoutAnIdAreMeteredByTheEntryAsTheFrontChargedThemAndNotAnswered() throws Exception {
        try (Setup setup = new Setup(s -> s); SocketClient program = setup.program()) {
            program.send("{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[]}");
            await(() -> setup.fixture.charges.costOf(setup.client).equals(PRICE.times(10)));
            JsonNode number = program.call(FrontFixture.call(1, "eth_blockNumber", "[]"));
            assertThat(number.path("id").asInt()).isEqualTo(1);
            assertThat(setup.charged()).isEqualTo(PRICE.times(2 * 10));
            assertThat(program.received).isEmpty();
        }
    }

    @Test
    void logsSubscriptionDeliversTheFiltersLogsChargedPerLog() throws Exception {
        try (Setup setup = new Setup(s -> s); SocketClient program = setup.program()) {
            String watched = deployEmitter();
            String other = deployEmitter();
            String id = program.call(FrontFixture.call(1, "eth_subscribe",
                    "[\"logs\",{\"address\":\"" + watched + "\"}]")).path("result").stringValue();
            call(other);
            call(watched);
            call(watched);
            List<String> hashes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JsonNode log = program.next();
                assertThat(log.path("params").path("subscription").stringValue()).isEqualTo(id);
                assertThat(log.path("params").path("result").path("address").stringValue()).isEqualTo(watched);
                hashes.add(log.path("params").path("result").path("transactionHash").stringValue());
            }
            assertThat(hashes).doesNotHaveDuplicates();
            // 5 a notification and 1 for its one log, per the default table.
            assertThat(setup.charged()).isEqualTo(PRICE.times(2 * (5 + 1)));
        }
    }

    @Test
    void anEmptyBufferDropsNotificationsUnpaidAndTellsOnce() throws Exception {
        // A paid buffer of 20 units: two newHeads of 10 each, then nothing until it refills on the test's clock.
        try (Setup setup = new Setup(s -> s.withCapacity(new Capacity(1_000, 10, 10, Duration.ofSeconds(2))));
             SocketClient program = setup.program()) {
            String id = program.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]")).path("result")
                    .stringValue();
            anvil.mine(5);
            assertThat(program.next().path("method").stringValue()).isEqualTo("eth_subscription");
            assertThat(program.next().path("method").stringValue()).isEqualTo("eth_subscription");
            JsonNode told = program.next();
            assertThat(told.path("method").stringValue()).isEqualTo(FrontSockets.DROPPED);
            assertThat(told.path("params").path("subscription").stringValue()).isEqualTo(id);
            assertThat(told.path("params").path("error").path("data").path("turnpike").stringValue())
                    .isEqualTo("notifications_dropped");
            await(() -> setup.fixture.front.notificationsDropped() == 3);
            assertThat(setup.charged()).isEqualTo(PRICE.times(2 * 10));
            assertThat(setup.fixture.front.clients()).singleElement()
                    .extracting(RpcFront.ClientCapacity::notificationsDropped).isEqualTo(3L);
            setup.fixture.front.forget(setup.client);
            assertThat(setup.fixture.front.notificationsDropped(setup.client)).as("forgotten").isZero();

            setup.fixture.ticker.advance(Duration.ofSeconds(1));
            anvil.mine(1);
            JsonNode after = program.next();
            assertThat(after.path("method").stringValue()).isEqualTo("eth_subscription");
            assertThat(setup.charged()).isEqualTo(PRICE.times(3 * 10));
            assertThat(program.received).isEmpty();
        }
    }

    @Test
    void refusalsAreStableErrorsAndChargeNothing() throws Exception {
        try (Setup setup = new Setup(s -> s.withSockets(new SocketLimits(1, 4096, Duration.ofMinutes(1))));
             SocketClient program = setup.program()) {
            assertThat(code(program.call("{not json"))).isEqualTo("malformed_body");
            assertThat(code(program.call(FrontFixture.call(1, "debug_traceBlock", "[]"))))
                    .isEqualTo("method_not_served");
            assertThat(code(program.call(FrontFixture.call(2, "eth_subscribe", "[\"newPendingTransactions\"]"))))
                    .isEqualTo("invalid_params");
            assertThat(code(program.call(FrontFixture.call(3, "eth_unsubscribe", "[\"0x1234\"]"))))
                    .isEqualTo("unknown_subscription");
            assertThat(program.call(FrontFixture.call(4, "eth_subscribe", "[\"newHeads\"]")).path("result").isString())
                    .isTrue();
            JsonNode tooMany = program.call(FrontFixture.call(5, "eth_subscribe", "[\"newHeads\"]"));
            assertThat(tooMany.path("id").asInt()).isEqualTo(5);
            assertThat(code(tooMany)).isEqualTo("too_many_subscriptions");
            assertThat(setup.charged()).isEqualTo(Amount.ZERO);

            // A frame past the front's limit closes the connection (1009); its subscription ends with it.
            program.send("[" + "1,".repeat(3000) + "1]");
            assertThat(program.awaitClosed()).isEqualTo(1009);
            try (SocketClient again = setup.program()) {
                assertThat(again.call(FrontFixture.call(6, "eth_subscribe", "[\"newHeads\"]")).path("result")
                        .isString()).isTrue();
            }
        }
    }

    @Test
    void disconnectingEndsTheSubscriptionsItHeld() throws Exception {
        try (Setup setup = new Setup(s -> s.withSockets(new SocketLimits(1, 4096, Duration.ofMinutes(1))))) {
            SocketClient first = setup.program();
            assertThat(first.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]")).path("result").isString())
                    .isTrue();
            first.closeAndWait();
            try (SocketClient second = setup.program()) {
                assertThat(second.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]")).path("result")
                        .isString()).isTrue();
                anvil.mine(1);
                second.next();
            }
            // Only the live subscription's block was charged: the closed one's ended upstream.
            assertThat(setup.charged()).isEqualTo(PRICE.times(10));
        }
    }

    @Test
    void aSubscriptionMovesToTheNextUpstreamWhenItsConnectionBreaksAndTellsTheHeadsMissedMeanwhile()
            throws Exception {
        Anvil first = Anvil.start(31337);
        URI firstUrl = URI.create(first.rpcUrl());
        // The second upstream is ahead of the first, as one that kept up would be when the first falls over.
        anvil.mine(5);
        try (Setup setup = new Setup(s -> s.withUpstreams(List.of(firstUrl, URI.create(anvil.rpcUrl()))));
             SocketClient program = setup.program()) {
            String id = program.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]")).path("result")
                    .stringValue();
            first.mine(1);
            JsonNode last = program.next();
            assertThat(last.path("params").path("subscription").stringValue()).isEqualTo(id);
            long lastNumber = Long.decode(last.path("params").path("result").path("number").stringValue());
            first.close();
            Amount beforeTheBreak = setup.charged();
            // Made again on the second upstream, under the same id: its blocks come next. Until it is, a block mined
            // there is not the subscription's; the test mines until one arrives.
            JsonNode moved = null;
            for (int tries = 0; moved == null && tries < 20; tries++) {
                anvil.mine(1);
                String frame = program.received.poll(1, TimeUnit.SECONDS);
                moved = frame == null ? null : JSON.readTree(frame);
            }
            assertThat(moved).as("a notice of the second upstream").isNotNull();
            // First the heads that came while no upstream held the subscription, told by number, uncharged…
            assertThat(moved.path("method").stringValue()).isEqualTo(FrontSockets.MISSED);
            assertThat(moved.path("params").path("subscription").stringValue()).isEqualTo(id);
            assertThat(Long.decode(moved.path("params").path("fromBlock").stringValue())).isEqualTo(lastNumber + 1);
            long missedTo = Long.decode(moved.path("params").path("toBlock").stringValue());
            // …then the first head of the second upstream, the one after them.
            JsonNode head = program.next();
            assertThat(head.path("params").path("subscription").stringValue()).isEqualTo(id);
            long number = Long.decode(head.path("params").path("result").path("number").stringValue());
            assertThat(number).isEqualTo(missedTo + 1);
            assertThat(head.path("params").path("result").path("hash").stringValue()).isEqualTo(blockHash(number));
            assertThat(setup.charged()).isEqualTo(beforeTheBreak.plus(PRICE.times(10)));
        } finally {
            first.close();
        }
    }

    @Test
    void subscriptionsAreHeldOnTheUpstreamsOwnWebSocketUrlWhenItNamesOne() throws Exception {
        URI nothingListens;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            nothingListens = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        }
        URI socketUrl = URI.create(anvil.rpcUrl().replaceFirst("^http", "ws"));
        // Its HTTP URL answers nothing: only the WebSocket URL it names can hold the subscription.
        try (Setup setup = new Setup(s -> s.withUpstreamNodes(List.of(new UpstreamNode(nothingListens, socketUrl))));
             SocketClient program = setup.program()) {
            JsonNode subscribed = program.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]"));
            assertThat(subscribed.path("result").isString()).as("%s", subscribed).isTrue();
            anvil.mine(1);
            JsonNode head = program.next();
            assertThat(head.path("params").path("subscription").stringValue())
                    .isEqualTo(subscribed.path("result").stringValue());
            long number = Long.decode(head.path("params").path("result").path("number").stringValue());
            assertThat(head.path("params").path("result").path("hash").stringValue()).isEqualTo(blockHash(number));
        }
    }

    @Test
    void anIdleConnectionIsClosedAndItsSubscriptionEnds() throws Exception {
        try (Setup setup = new Setup(s -> s.withSockets(new SocketLimits(1, 4096, Duration.ofSeconds(1))))) {
            SocketClient idle = setup.program();
            assertThat(idle.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]")).path("result").isString())
                    .isTrue();
            assertThat(idle.awaitClosed()).isEqualTo(1001);
            try (SocketClient next = setup.program()) {
                assertThat(next.call(FrontFixture.call(1, "eth_subscribe", "[\"newHeads\"]")).path("result")
                        .isString()).isTrue();
            }
        }
    }

    @Test
    void theFrontRefusesAWebSocketWithoutASession() throws Exception {
        try (Setup setup = new Setup(s -> s)) {
            URI front = URI.create("ws://127.0.0.1:" + setup.fixture.front.port() + "/");
            String wrong = Base64.getEncoder().encodeToString((setup.client + ":not-the-token")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThatThrownBy(() -> SocketClient.connect(front, Map.of("Authorization", "Basic " + wrong)))
                    .hasMessageContaining("401");
        }
    }

    private static String code(JsonNode answer) {
        return answer.path("error").path("data").path("turnpike").stringValue();
    }

    private static String blockHash(long number) throws Exception {
        return anvilCall("eth_getBlockByNumber", "[\"0x" + Long.toHexString(number) + "\",false]").path("hash")
                .stringValue();
    }

    private static String deployEmitter() throws Exception {
        String from = anvilCall("eth_accounts", "[]").get(0).stringValue();
        String tx = anvilCall("eth_sendTransaction", "[{\"from\":\"" + from + "\",\"data\":\"" + EMITTER + "\"}]")
                .stringValue();
        // Mined as it was sent, but a busy anvil may answer for its receipt a moment later.
        JsonNode[] receipt = new JsonNode[1];
        await(() -> {
            try {
                receipt[0] = anvilCall("eth_getTransactionReceipt", "[\"" + tx + "\"]");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return receipt[0].path("contractAddress").isString();
        });
        return receipt[0].path("contractAddress").stringValue();
    }

    private static void call(String contract) throws Exception {
        String from = anvilCall("eth_accounts", "[]").get(0).stringValue();
        anvilCall("eth_sendTransaction", "[{\"from\":\"" + from + "\",\"to\":\"" + contract + "\"}]");
    }

    private static JsonNode anvilCall(String method, String params) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(anvil.rpcUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(FrontFixture.call(1, method, params))).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.has("error")).as("%s: %s", method, response.body()).isFalse();
        return answer.path("result");
    }

    /** Waits, bounded, for a condition another thread makes true. */
    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition not met in time").isNegative();
            LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
        }
    }
}
