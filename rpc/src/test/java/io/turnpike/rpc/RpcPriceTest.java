package io.turnpike.rpc;

import static io.turnpike.rpc.FrontFixture.call;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The front's price follows its load, on a controlled clock: 1000 units/s in all, a price starting at 100 that moves by
 * 10 a second within 50…130 around a 70 % target; each request pays the price it was admitted at, to the wei.
 */
class RpcPriceTest {

    private static final PriceRule RULE = new PriceRule(Amount.of(100), Amount.of(50), Amount.of(130), Amount.of(10),
            70, Duration.ofSeconds(1));

    private final FakeUpstream upstream = new FakeUpstream();
    private final FrontFixture front = FrontFixture.before(upstream, s -> s
            .withCapacity(new Capacity(1_000, 1_000, 100, Duration.ofSeconds(10))).withPrice(RULE));
    private final List<Amount> announced = new CopyOnWriteArrayList<>();
    private final Address client = front.client(1);

    RpcPriceTest() {
        front.front.onPriceMoved(announced::add);
    }

    @AfterEach
    void close() {
        front.close();
        upstream.close();
    }

    /** A batch of {@code calls} eth_blockNumber calls: 10 units each. */
    private static String blockNumbers(int calls) {
        return IntStream.range(0, calls).mapToObj(i -> call(i, "eth_blockNumber", "[]"))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static Amount price(FrontFixture.Answer answer) {
        return Amount.of(Long.parseLong(answer.response().headers().firstValue(RpcFront.PRICE_HEADER).orElseThrow()));
    }

    @Test
    void thePriceRisesAboveTheTargetUtilisationDecaysBelowItAndStaysWithinItsBounds() {
        Amount paid = Amount.ZERO;
        List<Amount> prices = new ArrayList<>();
        for (int second = 0; second < 5; second++) {
            FrontFixture.Answer busy = front.post(client, blockNumbers(80)); // 800 units in a second: 80 % of the total
            assertThat(busy.status()).isEqualTo(200);
            assertThat(busy.cost()).isEqualTo(800);
            prices.add(price(busy));
            paid = paid.plus(price(busy).times(busy.cost()));
            front.ticker.advance(Duration.ofSeconds(1));
        }
        assertThat(prices).extracting(Amount::value).extracting(Number::longValue)
                .containsExactly(100L, 110L, 120L, 130L, 130L); // up a step a busy second, never past the max

        FrontFixture.Answer light = front.post(client, blockNumbers(60)); // 600 units: 60 %, under the target
        assertThat(price(light)).isEqualTo(Amount.of(130));
        paid = paid.plus(price(light).times(light.cost()));
        front.ticker.advance(Duration.ofSeconds(1));
        assertThat(front.front.price()).isEqualTo(Amount.of(120));

        front.ticker.advance(Duration.ofSeconds(30)); // idle: a step down each second, never under the min
        FrontFixture.Answer after = front.post(client, call(1, "eth_blockNumber", "[]"));
        assertThat(price(after)).isEqualTo(Amount.of(50));
        paid = paid.plus(price(after).times(after.cost()));

        assertThat(announced).extracting(Amount::value).extracting(Number::longValue)
                .containsExactly(110L, 120L, 130L, 120L, 50L);
        // 800 × (100 + 110 + 120 + 130 + 130) + 600 × 130 + 10 × 50, each request at the price it was admitted at
        assertThat(paid).isEqualTo(Amount.of(800L * 590 + 600 * 130 + 10 * 50));
        assertThat(front.charges.costOf(client)).isEqualTo(paid);
    }

    @Test
    void aRequestAdmittedBeforeThePriceRoseKeepsThePriceItWasAdmittedAt() throws Exception {
        assertThat(front.post(client, blockNumbers(90)).status()).isEqualTo(200); // 900 units: busy
        Address slow = front.client(2);
        upstream.delay = Duration.ofMillis(500);

        CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient().sendAsync(
                front.request(slow, front.token(slow), call(1, "eth_getBalance", "[\"0x0\",\"latest\"]")).build(),
                HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (upstream.received.size() < 2) { // until the request has been admitted and is at the upstream
            assertThat(System.nanoTime()).as("the request reaches the upstream").isLessThan(deadline);
            Thread.yield();
        }
        front.ticker.advance(Duration.ofSeconds(1));
        assertThat(front.front.price()).isEqualTo(Amount.of(110)); // the price rose while it was served

        HttpResponse<String> answer = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue(RpcFront.PRICE_HEADER)).contains("100");
        assertThat(front.charges.costOf(slow)).isEqualTo(Amount.of(20 * 100));

        upstream.delay = Duration.ZERO;
        FrontFixture.Answer next = front.post(slow, call(2, "eth_getBalance", "[\"0x0\",\"latest\"]"));
        assertThat(price(next)).isEqualTo(Amount.of(110));
        assertThat(front.charges.costOf(slow)).isEqualTo(Amount.of(20 * 100 + 20 * 110));
    }

    @Test
    void aFixedPriceNeverMoves() {
        FrontFixture fixed = FrontFixture.before(upstream, s -> s.withPrice(PriceRule.fixed(Amount.of(7))));
        try {
            Address c = fixed.client(1);
            for (int second = 0; second < 3; second++) {
                assertThat(price(fixed.post(c, blockNumbers(100)))).isEqualTo(Amount.of(7));
                fixed.ticker.advance(Duration.ofSeconds(1));
            }
            assertThat(fixed.charges.costOf(c)).isEqualTo(Amount.of(3 * 1000 * 7));
        } finally {
            fixed.close();
        }
    }
}
