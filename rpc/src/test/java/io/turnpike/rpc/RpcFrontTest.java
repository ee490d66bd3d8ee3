package io.turnpike.rpc;

import static io.turnpike.rpc.FrontFixture.call;
import static io.turnpike.rpc.FrontFixture.getLogs;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The front before fake upstreams, on a controlled clock: what it answers, what it charges, what it refuses. */
class RpcFrontTest {

    private final FakeUpstream upstream = new FakeUpstream();
    private final List<AutoCloseable> opened = new ArrayList<>(List.of(upstream));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : opened.reversed()) {
            c.close();
        }
    }

    private FrontFixture front(UnaryOperator<FrontSettings> adjust) {
        FrontFixture front = FrontFixture.before(upstream, adjust);
        opened.add(front);
        return front;
    }

    private FrontFixture front() {
        return front(UnaryOperator.identity());
    }

    @Test
    void anAnswerIsTheUpstreamsBytesWithOnlyTheIdPutBackAndItsCostInAHeader() {
        upstream.rawAnswer = "{ \"result\" : \"0x64\",\n  \"jsonrpc\":\"2.0\", \"id\":0 }";
        FrontFixture front = front();
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, call("\"mine-7\"", "eth_blockNumber", "[]"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{ \"result\" : \"0x64\",\n  \"jsonrpc\":\"2.0\", \"id\":\"mine-7\" }");
        assertThat(answer.cost()).isEqualTo(10);
        assertThat(front.charges.of(client)).isEqualTo(10);
    }

    @Test
    void aForgottenClientIsNoLongerKeptAndStartsAfreshIfItReturns() {
        FrontFixture front = front();
        Address client = front.client(1);
        front.front.standing(client, Standing.FREE);
        front.post(client, call(1, "eth_blockNumber", "[]"));
        assertThat(front.front.clients()).extracting(RpcFront.ClientCapacity::client).containsExactly(client);

        front.front.forget(client);

        assertThat(front.front.clients()).isEmpty();
    }

    @Test
    void eachCallIsChargedPerTheTable() {
        FrontFixture front = front();
        Address client = front.client(1);

        front.post(client, call(1, "eth_blockNumber", "[]"));
        front.post(client, call(2, "eth_chainId", "[]"));
        front.post(client, call(3, "eth_getBalance", "[\"0x" + "00".repeat(20) + "\",\"latest\"]"));
        front.post(client, call(4, "eth_call", "[{\"to\":\"0x" + "00".repeat(20) + "\"},\"latest\"]"));

        assertThat(front.charges.of(client)).isEqualTo(10 + 5 + 20 + 26);
    }

    @Test
    void getLogsIsChargedItsBaseAndTheLogsItReturnedNeverMoreThanItsRange() {
        FrontFixture front = front();
        Address client = front.client(1);

        upstream.logs = 0;
        assertThat(front.post(client, getLogs(1, 1, 100)).cost()).isEqualTo(60);
        upstream.logs = 7;
        FrontFixture.Answer seven = front.post(client, getLogs(2, 1, 100));
        assertThat(seven.cost()).isEqualTo(67);
        assertThat(seven.json().path("result").size()).isEqualTo(7);
        upstream.logs = 500; // more logs than blocks: the maximum, base + 100 blocks
        assertThat(front.post(client, getLogs(3, 1, 100)).cost()).isEqualTo(160);

        assertThat(front.charges.of(client)).isEqualTo(60 + 67 + 160);
    }

    @Test
    void getLogsTakesItsMaximumFromTheBufferAndGivesBackWhatItDidNotCost() {
        // A buffer of 200 units that does not refill while the clock stands still.
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 1, 0, Duration.ofSeconds(200))));
        Address client = front.client(1);
        upstream.logs = 0;

        assertThat(front.post(client, getLogs(1, 1, 100)).cost()).isEqualTo(60); // took 160, gave back 100
        // 140 left: a maximum of 130 fits only because of what was given back.
        FrontFixture.Answer second = front.post(client, getLogs(2, 1, 70));
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.cost()).isEqualTo(60);
        FrontFixture.Answer third = front.post(client, getLogs(3, 1, 100)); // 80 left, 160 needed
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.code()).isEqualTo("over_capacity");
        assertThat(front.charges.of(client)).isEqualTo(120);
    }

    @Test
    void aBlockTagIsResolvedAgainstTheUpstreamsHead() {
        FrontFixture front = front();
        Address client = front.client(1);
        upstream.logs = 1_000;

        FrontFixture.Answer answer = front.post(client, call(1, "eth_getLogs",
                "[{\"fromBlock\":\"0x5b\",\"toBlock\":\"latest\"}]")); // head 0x64: blocks 91..100

        assertThat(answer.cost()).isEqualTo(60 + 10);
    }

    @Test
    void aBatchIsChargedTheSumOfItsCallsAndAnsweredInOrderWithTheClientsIds() {
        FrontFixture front = front();
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, "[" + call("\"a\"", "eth_blockNumber", "[]") + ","
                + call(7, "eth_chainId", "[]") + ","
                + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\",\"params\":[]}" + "," // a notification
                + call("\"a\"", "eth_getBalance", "[\"0x" + "00".repeat(20) + "\",\"latest\"]") + "]");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).hasSize(3);
        assertThat(answer.json().get(0).path("id").stringValue()).isEqualTo("a");
        assertThat(answer.json().get(0).path("result").stringValue()).isEqualTo("0x64");
        assertThat(answer.json().get(1).path("id").intValue()).isEqualTo(7);
        assertThat(answer.json().get(1).path("result").stringValue()).isEqualTo("0x7a69");
        assertThat(answer.json().get(2).path("result").stringValue()).isEqualTo("0xde0b6b3a7640000");
        assertThat(answer.cost()).isEqualTo(10 + 5 + 10 + 20);
        assertThat(front.charges.of(client)).isEqualTo(45);
        assertThat(upstream.received).hasSize(1); // one batch upstream
    }

    @Test
    void aRefusedCallInABatchIsAnsweredInItsPlaceAndNotCharged() {
        FrontFixture front = front();
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, "[" + call(1, "eth_blockNumber", "[]") + ","
                + call(2, "admin_peers", "[]") + "," + call(3, "eth_chainId", "[]") + "]");

        assertThat(answer.json().get(1).path("id").intValue()).isEqualTo(2);
        assertThat(answer.json().get(1).path("error").path("code").intValue()).isEqualTo(-32601);
        assertThat(answer.json().get(1).path("error").path("data").path("turnpike").stringValue())
                .isEqualTo("method_not_served");
        assertThat(answer.json().get(2).path("result").stringValue()).isEqualTo("0x7a69");
        assertThat(front.charges.of(client)).isEqualTo(15);
        assertThat(upstream.methods()).containsExactly("eth_blockNumber", "eth_chainId");
    }

    @Test
    void refusalsCarryStableCodesAndAreNeitherForwardedNorCharged() {
        FrontFixture front = front(s -> s.withLimits(RpcLimits.defaults().withMaxBatch(3).withMaxBodyBytes(2_000)));
        Address client = front.client(1);

        FrontFixture.Answer disallowed = front.post(client, call(1, "debug_traceTransaction", "[\"0x00\"]"));
        assertThat(disallowed.code()).isEqualTo("method_not_served");
        assertThat(disallowed.json().path("id").intValue()).isEqualTo(1);
        assertThat(disallowed.json().path("error").path("message").stringValue()).contains("debug_traceTransaction");

        assertThat(front.post(client, getLogs(2, 0, 5_000)).code()).isEqualTo("range_too_wide");
        assertThat(front.post(client, "[" + String.join(",", Collections.nCopies(4, call(1, "eth_chainId", "[]")))
                + "]").code()).isEqualTo("batch_too_large");
        FrontFixture.Answer malformed = front.post(client, "{\"jsonrpc\":\"2.0\",\"method\":");
        assertThat(malformed.code()).isEqualTo("malformed_body");
        assertThat(malformed.json().path("error").path("code").intValue()).isEqualTo(-32700);
        assertThat(front.post(client, "[]").code()).isEqualTo("invalid_request");
        FrontFixture.Answer oversized = front.post(client, call(1, "eth_call", "[\"" + "ab".repeat(1_000) + "\"]"));
        assertThat(oversized.status()).isEqualTo(413);
        assertThat(oversized.code()).isEqualTo("body_too_large");
        FrontFixture.Answer stranger = front.post(client, "not-the-token-issued", call(1, "eth_chainId", "[]"));
        assertThat(stranger.status()).isEqualTo(401);
        assertThat(stranger.code()).isEqualTo("unauthenticated");

        assertThat(upstream.received).isEmpty();
        assertThat(front.charges.total()).isZero();
    }

    @Test
    void whatTheHttpServerRefusesItselfIsAJsonRpcErrorWithAStableCodeAndIsNeitherForwardedNorCharged() {
        FrontFixture front = front();
        Address client = front.client(1);

        FrontFixture.Answer oversized = front.send(front.request(client, front.token(client),
                call(1, "eth_chainId", "[]")).header("X-Pad", "p".repeat(9_000)).build());

        assertThat(oversized.status()).isEqualTo(431);
        assertThat(oversized.code()).isEqualTo("headers_too_large");
        assertThat(oversized.json().path("error").path("code").intValue()).isEqualTo(-32005);
        assertThat(oversized.json().path("id").isNull()).isTrue();
        assertThat(upstream.received).isEmpty();
        assertThat(front.charges.total()).isZero();
    }

    @Test
    void notificationsAloneAreAnsweredWithNoBodyButTheirCost() {
        FrontFixture front = front();
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, "[{\"jsonrpc\":\"2.0\",\"method\":\"eth_blockNumber\"},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"eth_chainId\"}]");

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.body()).isEmpty();
        assertThat(answer.cost()).isEqualTo(10 + 5);
        assertThat(front.charges.of(client)).isEqualTo(15);
    }

    @Test
    void anUpstreamThatCannotBeReachedIsAnErrorAndNothingIsCharged() {
        FrontFixture front = front(s -> s.withUpstreams(List.of(closedPort())));
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, call(1, "eth_blockNumber", "[]"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo("upstream_unavailable");
        assertThat(answer.json().path("id").intValue()).isEqualTo(1);
        assertThat(front.charges.total()).isZero();
    }

    @Test
    void anUpstreamTooSlowIsAnErrorChargedNoMoreThanItsBase() {
        FrontFixture front = front(s -> s.withLimits(RpcLimits.defaults().withUpstreamTimeout(Duration.ofMillis(200))));
        Address client = front.client(1);
        upstream.delay = Duration.ofSeconds(3);
        upstream.logs = 50;

        FrontFixture.Answer answer = front.post(client, getLogs(1, 1, 100));

        assertThat(answer.code()).isEqualTo("upstream_timeout");
        assertThat(front.charges.of(client)).isEqualTo(60); // the base, not the 160 it might have cost
    }

    @Test
    void anAnswerOverTheResponseLimitIsAnErrorChargedItsBase() {
        FrontFixture front = front(s -> s.withLimits(RpcLimits.defaults().withMaxResponseBytes(1_000)));
        Address client = front.client(1);
        upstream.logs = 100;

        FrontFixture.Answer answer = front.post(client, getLogs(1, 1, 100));

        assertThat(answer.code()).isEqualTo("response_too_large");
        assertThat(front.charges.of(client)).isEqualTo(60);
    }

    @Test
    void aFailingUpstreamFailsOverToTheNext() {
        FakeUpstream second = new FakeUpstream();
        opened.add(second);
        upstream.status = 503;
        FrontFixture front = front(s -> s.withUpstreams(List.of(closedPort(), upstream.url(), second.url())));
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, call(1, "eth_chainId", "[]"));

        assertThat(answer.json().path("result").stringValue()).isEqualTo("0x7a69");
        assertThat(upstream.received).hasSize(1);
        assertThat(second.received).hasSize(1);
        assertThat(front.charges.of(client)).isEqualTo(5);
    }

    @Test
    void aRequestCostingMoreThanTheBufferHoldsIsRefusedForGoodNotAskedToWait() {
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 100, 10, Duration.ofSeconds(1))));
        Address client = front.client(1);

        FrontFixture.Answer answer = front.post(client, getLogs(1, 1, 100)); // 160 > 100

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.code()).isEqualTo("exceeds_buffer");
        assertThat(upstream.received).isEmpty();
    }

    @Test
    void anOverrunIsA429WithRetryAfterAndTheBufferRefillsAtTheClientsCapacity() {
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 100, 10, Duration.ofSeconds(1))));
        Address client = front.client(1);

        int served = 0;
        while (front.post(client, call(served, "eth_blockNumber", "[]")).status() == 200) {
            served++;
        }
        FrontFixture.Answer overrun = front.post(client, call(99, "eth_blockNumber", "[]"));
        assertThat(served).isEqualTo(10); // the buffer: one second of 100 units
        assertThat(overrun.status()).isEqualTo(429);
        assertThat(overrun.response().headers().firstValue("Retry-After")).contains("1");
        assertThat(overrun.json().path("id").intValue()).isEqualTo(99);
        assertThat(overrun.code()).isEqualTo("over_capacity");
        assertThat(overrun.cost()).isZero();

        front.ticker.advance(Duration.ofMillis(300)); // 30 units: three more calls
        assertThat(front.post(client, call(1, "eth_blockNumber", "[]")).status()).isEqualTo(200);
        assertThat(front.post(client, call(2, "eth_blockNumber", "[]")).status()).isEqualTo(200);
        assertThat(front.post(client, call(3, "eth_blockNumber", "[]")).status()).isEqualTo(200);
        assertThat(front.post(client, call(4, "eth_blockNumber", "[]")).status()).isEqualTo(429);
        assertThat(front.charges.of(client)).isEqualTo(130);
    }

    @Test
    void aPaidClientGetsItsCapacityWhileTwentyFreeClientsFloodAndTheyShareOnlyTheSpare() {
        // 1000 units/s in all, 500 promised to each paid client, at most 100 to a free one; buffers of 1 s.
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 500, 100, Duration.ofSeconds(1))));
        Address paid = front.client(1);
        List<Address> free = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Address client = front.client(100 + i);
            front.front.standing(client, Standing.FREE);
            free.add(client);
        }

        int windows = 10;
        long paidUnits = 0;
        long freeUnits = 0;
        for (int window = 0; window < windows; window++) {
            front.ticker.advance(Duration.ofSeconds(1));
            // Free clients go first in every window: the paid client must not depend on arriving early.
            for (Address client : free) {
                freeUnits += 10L * callsUntilRefused(front, client);
            }
            paidUnits += 10L * callsUntilRefused(front, paid);
        }

        assertThat(paidUnits).isGreaterThanOrEqualTo(windows * 500L * 9 / 10);
        // The spare: 500 units/s, and the shared buffer of 1 s of the total it started with.
        assertThat(freeUnits).isLessThanOrEqualTo(windows * 500L + 1_000).isGreaterThan(0);
        assertThat(front.charges.of(paid)).isEqualTo(paidUnits);
        assertThat(free.stream().mapToLong(front.charges::of).sum()).isEqualTo(freeUnits);
    }

    @Test
    void aClientMadeFreeDropsToTheFreeCapacityAndGetsItsOwnBackWhenPaid() {
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 500, 100, Duration.ofSeconds(1))));
        Address client = front.client(1);

        front.front.standing(client, Standing.FREE);
        front.ticker.advance(Duration.ofSeconds(1));
        long asFree = callsUntilRefused(front, client);
        front.front.standing(client, Standing.PAID);
        long asPaid = callsUntilRefused(front, client);

        assertThat(asFree).isEqualTo(10); // 100 units
        assertThat(asPaid).isEqualTo(50); // 500 units
    }

    @Test
    void whenSeatsRunOutTheLowestPrepaidBalanceIsPushedDownToFreeAndTakesASeatBackWhenItPrepaysMore() {
        // Two paid seats of 500 units/s; a client waiting for one gets at most 100, from the spare.
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 500, 100, Duration.ofSeconds(1))));
        Address tenMinutes = front.client(1);
        Address fiveMinutes = front.client(2);
        Address twentyMinutes = front.client(3);
        front.front.prepaid(tenMinutes, Duration.ofMinutes(10));
        front.front.prepaid(fiveMinutes, Duration.ofMinutes(5));
        front.front.prepaid(twentyMinutes, Duration.ofMinutes(20));

        assertThat(callsUntilRefused(front, tenMinutes)).isEqualTo(50);
        assertThat(callsUntilRefused(front, fiveMinutes)).isEqualTo(50);
        assertThat(callsUntilRefused(front, twentyMinutes)).as("outweighs the lowest seated, takes its seat")
                .isEqualTo(50);
        assertThat(callsUntilRefused(front, fiveMinutes)).as("pushed down to the free tier, a full free buffer")
                .isEqualTo(10);
        // A second later every seat has idled a buffer's time; the seated clients ask first and keep theirs.
        front.ticker.advance(Duration.ofSeconds(1));
        assertThat(callsUntilRefused(front, tenMinutes)).isEqualTo(50);
        assertThat(callsUntilRefused(front, twentyMinutes)).isEqualTo(50);
        assertThat(callsUntilRefused(front, fiveMinutes)).as("still outweighed").isEqualTo(10);

        front.front.prepaid(fiveMinutes, Duration.ofMinutes(30));
        front.ticker.advance(Duration.ofSeconds(1));
        assertThat(callsUntilRefused(front, tenMinutes)).isEqualTo(50);
        assertThat(callsUntilRefused(front, twentyMinutes)).isEqualTo(50);
        assertThat(callsUntilRefused(front, fiveMinutes)).as("prepaid more: takes the ten-minute client's seat")
                .isEqualTo(50);
        assertThat(callsUntilRefused(front, tenMinutes)).as("pushed down, a full free buffer").isEqualTo(10);
    }

    @Test
    void anIncumbentKeepsItsSeatAgainstANewcomerWhoseBalanceLastsLessThanTheBiasLonger() {
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 500, 100, Duration.ofSeconds(1))));
        Address first = front.client(1);
        Address second = front.client(2);
        Address newcomer = front.client(3);
        front.front.prepaid(first, Duration.ofMinutes(10));
        front.front.prepaid(second, Duration.ofMinutes(10));
        front.front.prepaid(newcomer, Duration.ofMinutes(10).plus(FlowControl.INCUMBENT_BIAS));
        callsUntilRefused(front, first);
        callsUntilRefused(front, second);

        for (int window = 0; window < 5; window++) {
            assertThat(callsUntilRefused(front, newcomer)).as("window %d", window).isEqualTo(10);
            front.ticker.advance(Duration.ofSeconds(1));
            assertThat(callsUntilRefused(front, first)).isEqualTo(50);
            assertThat(callsUntilRefused(front, second)).isEqualTo(50);
        }
    }

    @Test
    void aQuotedCapacityIsWhatTheClientThenGets() {
        FrontFixture front = front(s -> s.withCapacity(new Capacity(1_000, 500, 100, Duration.ofSeconds(1))));
        Address tenMinutes = front.client(1);
        Address twentyMinutes = front.client(2);
        front.front.prepaid(tenMinutes, Duration.ofMinutes(10));
        front.front.prepaid(twentyMinutes, Duration.ofMinutes(20));
        assertThat(front.front.quote(List.of(Duration.ofMinutes(5)))).as("a seat is free").containsExactly(500L);
        callsUntilRefused(front, tenMinutes);
        callsUntilRefused(front, twentyMinutes);

        List<Long> quoted = front.front.quote(List.of(Duration.ofMinutes(5), Duration.ofMinutes(12)));

        assertThat(quoted).containsExactly(100L, 500L);
        Address fiveMinutes = front.client(3);
        Address twelveMinutes = front.client(4);
        front.front.prepaid(fiveMinutes, Duration.ofMinutes(5));
        front.front.prepaid(twelveMinutes, Duration.ofMinutes(12));
        assertThat(10L * callsUntilRefused(front, fiveMinutes)).isEqualTo(quoted.get(0));
        assertThat(10L * callsUntilRefused(front, twelveMinutes)).isEqualTo(quoted.get(1));
    }

    /** eth_blockNumber calls (10 units each) served before the first 429, the clock standing still. */
    private static long callsUntilRefused(FrontFixture front, Address client) {
        long served = 0;
        while (front.post(client, call(1, "eth_blockNumber", "[]")).status() == 200) {
            served++;
        }
        return served;
    }

    /** A port nothing listens on: connections to it are refused. */
    private static URI closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
