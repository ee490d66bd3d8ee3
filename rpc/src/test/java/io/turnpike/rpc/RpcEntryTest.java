package io.turnpike.rpc;

import static io.turnpike.rpc.FrontFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The client's entry before a real front, both on the front's controlled clock. */
class RpcEntryTest {

    private static final Address PROVIDER = Address.of("0x" + "ab".repeat(20));

    private final FakeUpstream upstream = new FakeUpstream();
    private final FrontFixture front = FrontFixture.before(upstream,
            s -> s.withCapacity(new Capacity(1_000, 100, 10, Duration.ofSeconds(1)))
                    .withPrice(PriceRule.fixed(Amount.of(100_000_000))));
    private final Address client = front.client(1);
    private final AtomicReference<Optional<RpcRoute>> route = new AtomicReference<>(Optional.of(
            new RpcRoute(PROVIDER, front.url(), client, front.token(client))));
    private final ChargeLog charged = new ChargeLog();
    /** What the entry waited: the wait moves the front's clock instead of sleeping. */
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private final RpcEntry entry;
    private final HttpClient http = HttpClient.newHttpClient();

    RpcEntryTest() throws IOException {
        entry = entryOf(front, route::get);
    }

    /** An entry before {@code before} that waits by moving that front's clock, recording each wait. */
    private RpcEntry entryOf(FrontFixture before, java.util.function.Supplier<Optional<RpcRoute>> routes)
            throws IOException {
        return RpcEntry.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), routes, charged,
                wait -> {
                    waits.add(wait);
                    before.ticker.advance(wait);
                }, before.ticker);
    }

    private RpcEntry entryOf(FrontFixture before, RpcRoute fixed) throws IOException {
        return entryOf(before, () -> Optional.of(fixed));
    }

    @AfterEach
    void close() {
        entry.close();
        front.close();
        upstream.close();
    }

    @Test
    void aProgramsRequestIsAnsweredByTheProviderAndWhatItChargedIsMetered() {
        HttpResponse<String> answer = post(call(5, "eth_chainId", "[]"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(JsonMapper.builder().build().readTree(answer.body()).path("result").stringValue())
                .isEqualTo("0x7a69");
        assertThat(charged.of(PROVIDER)).isEqualTo(5).isEqualTo(front.charges.of(client));
        assertThat(charged.costOf(PROVIDER)).isEqualTo(Amount.of(500_000_000)).isEqualTo(front.charges.costOf(client));
    }

    @Test
    void aProgramThatWouldOverrunWaitsOnTheEntrysOwnEstimateAndIsNeverRefusedUnderItsCapacity() {
        // 100 units/s, a buffer of 100 units: 30 calls of 10 units at once would overrun it twice over.
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> answer = post(call(i, "eth_blockNumber", "[]"));
            assertThat(answer.statusCode()).as("call " + i).isEqualTo(200);
        }

        // Never a 429 (its Retry-After is whole seconds): the entry waited for its estimate to refill, 100 ms for
        // each call past the buffer — the 200 units over it at 100 units/s, exactly its capacity.
        assertThat(waits).hasSize(20).containsOnly(Duration.ofMillis(100));
        assertThat(charged.of(PROVIDER)).isEqualTo(300).isEqualTo(front.charges.of(client));
    }

    @Test
    void theEntryEstimatesByTheTableItsProviderAnnouncedNotTheDefaultOne() throws IOException {
        // This provider charges twice the default for eth_blockNumber: 20 units, 5 calls fill its buffer of 100.
        CostTable doubled = CostTable.defaults().with("eth_blockNumber", MethodCost.of(20));
        try (FrontFixture dear = FrontFixture.before(upstream, s -> s.withCosts(doubled)
                .withCapacity(new Capacity(1_000, 100, 10, Duration.ofSeconds(1)))
                .withPrice(PriceRule.fixed(Amount.of(100_000_000))));
             RpcEntry announced = entryOf(dear, new RpcRoute(PROVIDER, dear.url(), dear.client(1), dear.token(client),
                     doubled))) {
            for (int i = 0; i < 15; i++) {
                HttpResponse<String> answer = post(announced, call(i, "eth_blockNumber", "[]"));
                assertThat(answer.statusCode()).as("call " + i).isEqualTo(200);
            }

            // Priced at 20, the 10 calls past the buffer each waited 200 ms for it to refill: never a 429, whose
            // whole-second Retry-After an entry pricing at the default 10 would have drawn and waited out.
            assertThat(waits).hasSize(10).containsOnly(Duration.ofMillis(200));
            assertThat(charged.of(PROVIDER)).isEqualTo(15 * 20).isEqualTo(dear.charges.of(client));
            assertThat(charged.costOf(PROVIDER)).isEqualTo(dear.charges.costOf(client));
        }
    }

    @Test
    void webSocketCallsWaitOnTheSameEstimateRatherThanOverrun() throws Exception {
        try (SocketClient program = SocketClient.connect(URI.create("ws://127.0.0.1:" + entry.port() + "/"),
                java.util.Map.of())) {
            // As over HTTP: a buffer of 100 units, 30 calls of 10 units sent as fast as they are answered.
            for (int i = 0; i < 30; i++) {
                tools.jackson.databind.JsonNode answer = program.call(call(i, "eth_blockNumber", "[]"));
                assertThat(answer.has("error")).as("call %d: %s", i, answer).isFalse();
                assertThat(answer.path("id").asInt()).isEqualTo(i);
            }
        }

        assertThat(waits).hasSize(20).containsOnly(Duration.ofMillis(100));
        assertThat(charged.of(PROVIDER)).isEqualTo(300).isEqualTo(front.charges.of(client));
    }

    @Test
    void anOverrunTheEstimateDidNotForeseeIsA429WaitedOutOnceRatherThanFailingTheProgram() {
        assertThat(post(call(0, "eth_blockNumber", "[]")).statusCode()).isEqualTo(200); // the entry learns its buffer
        for (int i = 1; i < 10; i++) { // another program with the same session empties it behind the entry's back
            assertThat(front.post(client, call(i, "eth_blockNumber", "[]")).status()).isEqualTo(200);
        }

        HttpResponse<String> answer = post(call(10, "eth_blockNumber", "[]"));

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(waits).containsExactly(Duration.ofSeconds(1));
        assertThat(charged.of(PROVIDER)).isEqualTo(20);
        assertThat(front.charges.of(client)).isEqualTo(110);
    }

    @Test
    void withoutASessionTheProgramIsToldToTryAgainSoon() {
        route.set(Optional.empty());

        HttpResponse<String> answer = post(call(1, "eth_blockNumber", "[]"));

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).contains("no_session");
        assertThat(upstream.received).isEmpty();
    }

    @Test
    void theEntryListensOnLoopbackOnly() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RpcEntry.start(new InetSocketAddress("0.0.0.0", 0),
                        route::get, charged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    private HttpResponse<String> post(String body) {
        return post(entry, body);
    }

    private HttpResponse<String> post(RpcEntry to, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + to.port() + "/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
