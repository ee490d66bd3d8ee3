package io.turnpike.tower;

import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.tower.Uploads.upload;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.core.Amount;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.LimitProbe;
import io.turnpike.http.LimitProbe.Answer;
import io.turnpike.store.TowerEntry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tower API's {@link HttpLimits} as a client meets them, each at its boundary: what is refused is answered
 * {@code {"code", "message"}} with the tower's codes, and stores nothing.
 */
@ExtendWith(AnvilExtension.class)
class TowerLimitsTest {

    private static final Amount REWARD = Amount.of(1_000_000_000_000_000L);
    private static final HttpLimits SHORT = HttpLimits.defaults().withMaxRequestHeaderBytes(1024)
            .withMaxBodyBytes(1024).withRequestTimeout(Duration.ofMillis(500));

    @Test
    void headersAndBodiesUpToTheirLimitsAreReadAndOneByteMoreIsRefused(ChannelFixture f, @TempDir Path dir) {
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, TowerHarness.chainClock(f), dir, SHORT)) {
            long id = f.openEther(ether(10), ether(1));
            LimitProbe probe = probe(tower);

            assertThat(probe.getWithHeadOf("/v1/info", 1024)).isEqualTo(new Answer(200, ""));
            assertThat(probe.getWithHeadOf("/v1/info", 1025)).isEqualTo(new Answer(431, "headers_too_large"));
            assertThat(probe.get("/v1/" + "p".repeat(1024))).isEqualTo(new Answer(414, "uri_too_long"));

            String older = upload(f, f.aliceKey, f.bobKey, id, 3, ether(3), REWARD, tower.address());
            String newer = upload(f, f.aliceKey, f.bobKey, id, 4, ether(4), REWARD, tower.address());
            assertThat(probe.postWithBodyOf("/v1/proofs", older, 1024)).isEqualTo(new Answer(200, ""));
            assertThat(probe.postWithBodyOf("/v1/proofs", newer, 1025)).isEqualTo(new Answer(413, "body_too_large"));
            assertThat(tower.towers().listByNonCloser(f.bob.address())).singleElement()
                    .extracting(TowerEntry::upload).satisfies(held -> assertThat(held.nonce()).isEqualTo(3));
        }
    }

    @Test
    void connectionsPastTheLimitOfOneAddressAreRefused(ChannelFixture f, @TempDir Path dir) throws IOException {
        HttpLimits limits = SHORT.withConnections(8, 2).withRequestTimeout(Duration.ofSeconds(10));
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, TowerHarness.chainClock(f), dir, limits)) {
            LimitProbe probe = probe(tower);
            List<Socket> held = probe.hold(2, "/v1/info");

            assertThat(probe.get("/v1/info")).isEqualTo(new Answer(503, "too_many_connections"));

            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @Test
    void anUploadThatIsNotSentWholeWithinItsTimeIsCutOffAndStoresNothing(ChannelFixture f, @TempDir Path dir) {
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, TowerHarness.chainClock(f), dir, SHORT)) {
            long id = f.openEther(ether(10), ether(1));
            String good = upload(f, f.aliceKey, f.bobKey, id, 3, ether(3), REWARD, tower.address());
            LimitProbe probe = probe(tower);

            assertThat(probe.sendOnly("POST /v1/proofs HTTP/1.1\r\nHost: tower\r\nContent-Length: "))
                    .as("headers that never end: closed unanswered").isEqualTo(new Answer(0, ""));
            assertThat(probe.sendOnly("POST /v1/proofs HTTP/1.1\r\nHost: tower\r\nContent-Length: " + good.length()
                    + "\r\n\r\n" + good.substring(0, good.length() - 1)))
                    .as("all but the body's last byte").isEqualTo(new Answer(408, "request_timeout"));
            assertThat(probe.trickle("/v1/info", Duration.ofMillis(100)))
                    .as("a byte at a time, each well within the idle timeout").isEqualTo(new Answer(0, ""));
            assertThat(tower.towers().listByNonCloser(f.bob.address())).isEmpty();
        }
    }

    private static LimitProbe probe(TowerHarness tower) {
        return new LimitProbe(new InetSocketAddress(tower.url().getHost(), tower.url().getPort()), "");
    }
}
