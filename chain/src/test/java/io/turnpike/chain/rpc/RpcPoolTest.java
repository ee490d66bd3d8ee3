package io.turnpike.chain.rpc;

import io.turnpike.core.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.RpcProxy;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The RPC pool against real endpoints: anvil, and a proxy in front of it that fails on demand. */
@ExtendWith(AnvilExtension.class)
class RpcPoolTest {

    private final MutableClock clock = MutableClock.startingNow();

    @Test
    void endpointOnAnotherChainRefusesStartWithAStableCode(Anvil anvil) {
        RpcConfig config = RpcConfig.of(anvil.rpcUrl()).withChainId(1);

        assertThatThrownBy(() -> RpcPool.connect(config))
                .isInstanceOfSatisfying(RpcException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.WRONG_CHAIN_ID))
                .hasMessageContaining("serves chain " + SharedAnvil.CHAIN_ID);
    }

    @Test
    void noEndpointReachableAtStartupRefusesStartWithAStableCode() {
        RpcConfig config = RpcConfig.of("http://127.0.0.1:" + closedPort(), "http://127.0.0.1:" + closedPort());

        assertThatThrownBy(() -> RpcPool.connect(config))
                .isInstanceOfSatisfying(RpcException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_UNREACHABLE));
    }

    @Test
    void requestsFailOverToTheNextEndpointWhileTheFirstBacksOff(Anvil anvil) {
        try (RpcProxy flaky = RpcProxy.to(anvil.rpcUrl());
             RpcPool pool = RpcPool.connect(RpcConfig.of(flaky.url(), anvil.rpcUrl())
                     .withBackOff(new BackOff(Duration.ofSeconds(1), Duration.ofSeconds(30))).withClock(clock))) {
            flaky.down();
            Instant failedAt = clock.instant();

            assertThat(pool.head()).isGreaterThanOrEqualTo(0);
            assertThat(pool.endpoints().get(0).usable()).isFalse();
            assertThat(pool.endpoints().get(0).retryAt()).contains(failedAt.plusSeconds(1));

            flaky.up();
            int before = flaky.forwarded();
            pool.head();
            assertThat(flaky.forwarded()).as("skipped while backing off").isEqualTo(before);

            flaky.down();
            clock.advance(Duration.ofSeconds(1));
            pool.head();
            assertThat(pool.endpoints().get(0).consecutiveFailures()).isEqualTo(2);
            assertThat(pool.endpoints().get(0).retryAt()).contains(clock.instant().plusSeconds(2));

            flaky.up();
            clock.advance(Duration.ofSeconds(2));
            pool.head();
            assertThat(flaky.forwarded()).as("preferred again once it answers").isEqualTo(before + 1);
            assertThat(pool.endpoints().get(0).usable()).isTrue();
        }
    }

    @Test
    void everyEndpointFailingIsReportedAtOnceAndTheNextAttemptRecovers(Anvil anvil) {
        try (RpcProxy only = RpcProxy.to(anvil.rpcUrl());
             RpcPool pool = RpcPool.connect(RpcConfig.of(only.url()).withClock(clock))) {
            only.down();

            assertThatThrownBy(pool::head).isInstanceOfSatisfying(RpcException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_UNAVAILABLE));
            only.up();
            assertThatThrownBy(pool::head).as("still backing off").isInstanceOf(RpcException.class);

            clock.advance(BackOff.defaults().delayAfter(1));
            assertThat(pool.head()).isGreaterThanOrEqualTo(0);
        }
    }

    @Test
    void endpointWhoseHeadFellBehindTheHighestSeenIsRefused(Anvil anvil) {
        try (Anvil behind = Anvil.start(SharedAnvil.CHAIN_ID);
             RpcProxy ahead = RpcProxy.to(anvil.rpcUrl());
             RpcPool pool = RpcPool.connect(RpcConfig.of(ahead.url(), behind.rpcUrl())
                     .withReorgAllowance(3).withClock(clock))) {
            anvil.mine(10);
            long highest = pool.head();
            ahead.down();

            assertThatThrownBy(pool::head).as("block 0 is far below " + highest)
                    .isInstanceOfSatisfying(RpcException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_UNAVAILABLE));
            assertThat(pool.endpoints().get(1).problem()).hasValueSatisfying(
                    problem -> assertThat(problem).contains("more than 3 blocks below block " + highest));
            assertThat(pool.highestBlock()).isEqualTo(highest);

            behind.mine((int) highest - 3);
            clock.advance(BackOff.defaults().max());
            assertThat(pool.head()).as("within the re-org allowance").isEqualTo(highest - 3);
            assertThat(pool.highestBlock()).isEqualTo(highest);
        }
    }

    @Test
    void viewTurnsStaleWhenNoNewBlockComesForStaleAfter(Anvil anvil) {
        try (RpcPool pool = RpcPool.connect(RpcConfig.of(anvil.rpcUrl())
                .withStaleAfter(Duration.ofSeconds(300)).withClock(clock))) {
            pool.head();
            clock.advance(Duration.ofSeconds(300));
            assertThat(pool.isStale()).isFalse();

            clock.advance(Duration.ofSeconds(1));
            pool.head();
            assertThat(pool.isStale()).as("the same head again is no progress").isTrue();

            anvil.mine();
            pool.head();
            assertThat(pool.isStale()).isFalse();
            assertThat(pool.lastNewBlockAt()).isEqualTo(clock.instant());
        }
    }

    @Test
    void urlPathsAndQueriesWhichOftenHoldApiKeysStayOutOfStatusAndMessages(Anvil anvil) {
        String secret = "v3/0123456789abcdef";
        try (RpcProxy provider = RpcProxy.to(anvil.rpcUrl());
             RpcPool pool = RpcPool.connect(RpcConfig.of(provider.url() + "/" + secret))) {
            assertThat(pool.endpoints().get(0).endpoint()).isEqualTo(provider.url()).doesNotContain(secret);
        }
        RpcConfig config = RpcConfig.of("http://127.0.0.1:" + closedPort() + "/" + secret);
        assertThat(config.toString()).doesNotContain(secret);
        assertThatThrownBy(() -> RpcPool.connect(config)).hasMessageNotContaining(secret);
    }

    @Test
    void anEndpointsErrorBodyWhichMayEchoItsKeyStaysOutOfStatusMessagesAndLogs(Anvil anvil) {
        String secret = "v3/0123456789abcdef";
        try (RpcProxy provider = RpcProxy.to(anvil.rpcUrl());
             RpcPool pool = RpcPool.connect(RpcConfig.of(provider.url() + "/" + secret).withClock(clock))) {
            provider.failWith(401, "{\"error\":\"invalid project id in /" + secret + "\"}");
            assertThatThrownBy(pool::head).hasMessageNotContaining(secret).hasMessageContaining("401");

            provider.failWith(200, "<html>no such key: " + secret + "</html>");
            clock.advance(Duration.ofMinutes(10));
            assertThatThrownBy(pool::head).hasMessageNotContaining(secret);
            assertThat(pool.endpoints().get(0).problem()).hasValueSatisfying(problem ->
                    assertThat(problem).doesNotContain(secret));
        }
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
