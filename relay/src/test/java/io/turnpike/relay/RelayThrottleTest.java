package io.turnpike.relay;

import static io.turnpike.relay.TestSessions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The free tier's rate, on a controlled clock: the relay counts time by the test's ticker, so what a throttled
 * client gets is checked in bytes per controlled window — never against the machine's speed.
 */
class RelayThrottleTest {

    private static final long LARGE = 8 * 1024 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    /** A grant waits until at least this much is available (ClientShare.MIN_GRANT): the slack of a lower bound. */
    private static final long GRANT = 4 * 1024;
    /** One step of the controlled clock: less than refills the bucket, so no accrued token is capped away. */
    private static final Duration STEP = Duration.ofMillis(200);

    @TempDir
    Path dir;
    private final AtomicLong ticker = new AtomicLong();
    private RelayFixture fixture;
    private String token;

    @BeforeEach
    void start() throws IOException {
        fixture = RelayFixture.start(config -> config.withTicker(ticker::get));
        token = fixture.sessions.issue(ALICE);
    }

    @AfterEach
    void stop() {
        fixture.awaitIdle();
        fixture.close();
    }

    @Test
    void aClientAtTheFreeTierGetsItsRateTimesTheControlledTimeAndEverythingOnceReleased() throws Exception {
        fixture.relay.setRate(ALICE, RelayServer.FREE_TIER);
        Path output = dir.resolve("body");
        Curl.Run download = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.ipv4Url(LARGE), output);

        assertAllowedOver(10);

        fixture.relay.setRate(ALICE, RelayServer.UNLIMITED);
        Curl.Result result = download.await();
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestTarget.sha256(output)).isEqualTo(TestTarget.sha256(LARGE));
    }

    @Test
    void allOfAClientsConnectionsShareOneRate() throws Exception {
        fixture.relay.setRate(ALICE, RelayServer.FREE_TIER);
        Curl.Run first = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.ipv4Url(LARGE),
                dir.resolve("first"));
        Curl.Run second = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.namedUrl(LARGE),
                dir.resolve("second"));
        Await.until("both downloads are relayed", () -> fixture.relay.openConnections() == 2);

        assertAllowedOver(10);

        fixture.relay.setRate(ALICE, RelayServer.UNLIMITED);
        assertThat(first.await().exitCode()).isZero();
        assertThat(second.await().exitCode()).isZero();
        assertThat(TestTarget.sha256(dir.resolve("second"))).isEqualTo(TestTarget.sha256(LARGE));
    }

    /**
     * Moves the controlled clock {@code steps} steps and checks that Alice, both ways and over all her connections,
     * got the burst her bucket started with plus the free rate times the controlled time: at least that less one
     * grant once the relay has caught up, and never more, however long the relay is given.
     */
    private void assertAllowedOver(int steps) throws InterruptedException {
        long rate = RelayServer.FREE_TIER;
        // The clock starts once the burst is spent: time that passes while the bucket is full accrues nothing.
        assertThat(fixture.tally.awaitBoth(ALICE, ClientShare.BURST - 2 * GRANT, PATIENCE)).as("the burst").isTrue();
        for (int step = 1; step <= steps; step++) {
            ticker.addAndGet(STEP.toNanos());
            long due = ClientShare.BURST + rate * STEP.toMillis() * step / 1000;
            assertThat(fixture.tally.awaitBoth(ALICE, due - 2 * GRANT, PATIENCE))
                    .as("%d bytes allowed after %d ms of controlled time", due, STEP.toMillis() * step).isTrue();
            assertThat(fixture.tally.both(ALICE)).as("never more than the rate allows").isLessThanOrEqualTo(due);
        }
    }

    @Test
    void rateZeroStallsTheStreamWithoutClosingItUntilTheRateIsRaised() throws Exception {
        fixture.relay.setRate(ALICE, RelayServer.FREE_TIER);
        Path output = dir.resolve("body");
        Curl.Run download = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.ipv4Url(LARGE), output);
        assertThat(fixture.tally.awaitBoth(ALICE, ClientShare.BURST - 2 * GRANT, PATIENCE)).as("the burst").isTrue();

        fixture.relay.setRate(ALICE, 0);
        ticker.addAndGet(Duration.ofHours(1).toNanos());

        // An hour of controlled time buys nothing at rate 0: what passed is the burst the bucket started with.
        assertThat(fixture.tally.awaitBoth(ALICE, ClientShare.BURST + 1, Duration.ofMillis(500))).isFalse();
        assertThat(download.isAlive()).as("curl still waiting").isTrue();
        assertThat(fixture.relay.openConnections()).as("connection kept open").isEqualTo(1);

        fixture.relay.setRate(ALICE, RelayServer.UNLIMITED);
        Curl.Result result = download.await();

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestTarget.sha256(output)).isEqualTo(TestTarget.sha256(LARGE));
    }

    @Test
    void closingTheRelayEndsStalledConnections() throws Exception {
        fixture.relay.setRate(ALICE, 0);
        Curl.Run download = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.ipv4Url(LARGE),
                dir.resolve("body"));
        assertThat(fixture.tally.awaitDown(ALICE, 1, PATIENCE)).as("the burst passed").isTrue();

        fixture.relay.close();

        assertThat(download.await().exitCode()).as("curl saw the connection end").isNotZero();
        fixture.awaitIdle();
    }
}
