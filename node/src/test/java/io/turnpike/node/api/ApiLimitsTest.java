package io.turnpike.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.node.config.NodeConfig;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.LimitProbe;
import io.turnpike.http.LimitProbe.Answer;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API's {@link HttpLimits} as a client meets them, each at its boundary: what is refused is answered with the
 * API's error body and code, and never reaches the node.
 */
class ApiLimitsTest {

    private static final String AUTHORIZATION = "Authorization: Bearer " + ApiServerTest.TOKEN + "\r\n";
    private static final HttpLimits SHORT = HttpLimits.defaults().withMaxRequestHeaderBytes(1024)
            .withMaxBodyBytes(512).withRequestTimeout(Duration.ofMillis(500));

    @TempDir
    Path dir;

    private final FakeNodeControl node = new FakeNodeControl();

    @Test
    void headersUpToTheLimitAreReadAndOneByteMoreIsRefused() throws IOException {
        try (ApiServer api = start(SHORT)) {
            LimitProbe probe = new LimitProbe(api.address(), AUTHORIZATION);

            assertThat(probe.getWithHeadOf("/api/status", 1024)).isEqualTo(new Answer(200, ""));
            assertThat(probe.getWithHeadOf("/api/status", 1025)).isEqualTo(new Answer(431, "headers_too_large"));
            assertThat(probe.get("/api/pay/" + "0".repeat(1024))).isEqualTo(new Answer(414, "uri_too_long"));
            assertThat(node.methodsCalled()).containsExactly("status");
        }
    }

    @Test
    void bodiesUpToTheLimitAreReadAndOneByteMoreIsRefusedUnread() throws IOException {
        try (ApiServer api = start(SHORT)) {
            LimitProbe probe = new LimitProbe(api.address(), AUTHORIZATION);

            assertThat(probe.postWithBodyOf("/api/channels/3/close", "{\"force\": true}", 512).status())
                    .isEqualTo(200);
            assertThat(probe.postWithBodyOf("/api/channels/4/close", "{\"force\": true}", 513))
                    .isEqualTo(new Answer(413, "body_too_large"));
            assertThat(node.calls()).filteredOn(call -> call.method().equals("closeChannel"))
                    .containsExactly(new FakeNodeControl.Call("closeChannel", List.of(3L, true)));
        }
    }

    @Test
    void connectionsPastTheLimitOfOneAddressAreRefusedUntilOneCloses() throws IOException {
        try (ApiServer api = start(SHORT.withConnections(8, 2).withRequestTimeout(Duration.ofSeconds(10)))) {
            LimitProbe probe = new LimitProbe(api.address(), AUTHORIZATION);
            List<Socket> held = twoHeldAndAThirdRefused(probe);

            held.getFirst().close();
            // The server sees the close on its own time: a few requests at most until it has.
            assertThat(IntStream.range(0, 50).mapToObj(i -> probe.get("/api/status")).takeWhile(
                    answer -> answer.status() == 503).count()).isLessThan(50);
            held.getLast().close();
        }
    }

    @Test
    void connectionsPastTheLimitOfAllTogetherAreRefused() throws IOException {
        try (ApiServer api = start(SHORT.withConnections(2, 8).withRequestTimeout(Duration.ofSeconds(10)))) {
            for (Socket held : twoHeldAndAThirdRefused(new LimitProbe(api.address(), AUTHORIZATION))) {
                held.close();
            }
        }
    }

    @Test
    void aRequestThatIsNotSentWholeWithinItsTimeIsCutOff() throws IOException {
        try (ApiServer api = start(SHORT)) {
            LimitProbe probe = new LimitProbe(api.address(), AUTHORIZATION);

            assertThat(probe.sendOnly("GET /api/status HTTP/1.1\r\nHost: node\r\n{headers}"))
                    .as("headers that never end: closed unanswered").isEqualTo(new Answer(0, ""));
            assertThat(probe.sendOnly("POST /api/channels/3/close HTTP/1.1\r\nHost: node\r\n{headers}"
                    + "Content-Length: 100\r\n\r\n{\"force\""))
                    .as("a body that never ends").isEqualTo(new Answer(408, "request_timeout"));
            assertThat(probe.trickle("/api/status", Duration.ofMillis(100)))
                    .as("a byte at a time, each well within the idle timeout").isEqualTo(new Answer(0, ""));
            assertThat(node.calls()).isEmpty();
        }
    }

    /** Two connections served and kept open; a third is refused without the node being asked. */
    private List<Socket> twoHeldAndAThirdRefused(LimitProbe probe) {
        List<Socket> held = probe.hold(2, "/api/status");

        assertThat(probe.get("/api/status")).isEqualTo(new Answer(503, "too_many_connections"));
        assertThat(node.methodsCalled()).containsExactly("status", "status");
        return held;
    }

    private ApiServer start(HttpLimits limits) throws IOException {
        return ApiServer.start(node, new NodeConfig.Endpoint("127.0.0.1", 0), false,
                ApiServerTest.token(dir, ApiServerTest.TOKEN), limits, FatalErrors::exitProcess);
    }
}
