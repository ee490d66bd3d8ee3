package io.turnpike.relay;

import static io.turnpike.relay.TestSessions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one place a rate is measured: the relay's own meter over ~2.5 s of a large download, past the
 * initial burst. The rest of the suite never asserts on time.
 */
class RelayThrottleTest {

    private static final long LARGE = 8 * 1024 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private RelayFixture fixture;
    private String token;

    @BeforeEach
    void start() throws IOException {
        fixture = RelayFixture.start();
        token = fixture.sessions.issue(ALICE);
    }

    @AfterEach
    void stop() {
        fixture.awaitIdle();
        fixture.close();
    }

    @Test
    void aClientAtTheFreeTierRateGetsThatRateAndFullSpeedOnceReleased() throws Exception {
        fixture.relay.setRate(ALICE, RelayServer.FREE_TIER);
        Path output = dir.resolve("body");
        Curl.Run download = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.ipv4Url(LARGE), output);

        assertThat(measureDownRate()).isBetween(0.9 * RelayServer.FREE_TIER, 1.1 * RelayServer.FREE_TIER);

        long releasedAt = System.nanoTime();
        long downBefore = fixture.tally.down(ALICE);
        fixture.relay.setRate(ALICE, RelayServer.UNLIMITED);
        Curl.Result result = download.await();
        double fullRate = (fixture.tally.down(ALICE) - downBefore) * 1e9 / (System.nanoTime() - releasedAt);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(fullRate).isGreaterThan(10.0 * RelayServer.FREE_TIER);
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

        assertThat(measureDownRate()).isBetween(0.9 * RelayServer.FREE_TIER, 1.1 * RelayServer.FREE_TIER);

        fixture.relay.setRate(ALICE, RelayServer.UNLIMITED);
        assertThat(first.await().exitCode()).isZero();
        assertThat(second.await().exitCode()).isZero();
        assertThat(TestTarget.sha256(dir.resolve("second"))).isEqualTo(TestTarget.sha256(LARGE));
    }

    @Test
    void rateZeroStallsTheStreamWithoutClosingItUntilTheRateIsRaised() throws Exception {
        fixture.relay.setRate(ALICE, RelayServer.FREE_TIER);
        Path output = dir.resolve("body");
        Curl.Run download = Curl.start(fixture.relay.port(), ALICE, token, fixture.target.ipv4Url(LARGE), output);
        assertThat(fixture.tally.awaitDown(ALICE, 2 * ClientShare.BURST, PATIENCE)).isTrue();

        fixture.relay.setRate(ALICE, 0);
        long stalledAt = fixture.tally.down(ALICE);
        // Tokens already in the bucket may still pass, a burst at most; then nothing at all.
        assertThat(fixture.tally.awaitDown(ALICE, stalledAt + ClientShare.BURST + 1, Duration.ofSeconds(1))).isFalse();
        long settled = fixture.tally.down(ALICE);
        assertThat(fixture.tally.awaitDown(ALICE, settled + 1, Duration.ofMillis(500))).isFalse();
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

    /** Bytes per second relayed down to Alice over ~2.5 s, measured after the initial burst has passed. */
    private double measureDownRate() throws InterruptedException {
        assertThat(fixture.tally.awaitDown(ALICE, 2 * ClientShare.BURST, PATIENCE)).isTrue();
        long start = System.nanoTime();
        long from = fixture.tally.down(ALICE);
        assertThat(fixture.tally.awaitDown(ALICE, from + RelayServer.FREE_TIER * 5 / 2, PATIENCE)).isTrue();
        long elapsed = System.nanoTime() - start;
        return (fixture.tally.down(ALICE) - from) * 1e9 / elapsed;
    }
}
