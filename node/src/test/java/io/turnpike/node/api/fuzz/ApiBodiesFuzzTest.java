package io.turnpike.node.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.ErrorCode;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.http.KeepAliveClient;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.api.FakeNodeControl;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The node's API as a client holding the token can post to it: the fuzzed bytes are a body (after a first byte that
 * picks the endpoint — open, close, pay, paid fetch), sent over HTTP (one kept connection) to a real
 * {@link ApiServer} in front of a {@link FakeNodeControl}. Every answer is a success or a refusal with an input code, never a 500; and a refused
 * body asks nothing of the node (its recorded calls are unchanged). Run as a campaign with
 * {@code ./turnpike fuzz ApiBodiesFuzzTest}.
 */
class ApiBodiesFuzzTest {

    private static final String TOKEN = "fuzz-token-0123456789abcdef0123456789abcdef";
    private static final List<String> PATHS = List.of("/api/channels", "/api/channels/7/close",
            "/api/pay/" + FakeNodeControl.PROVIDER, "/api/http");
    /** What those endpoints ask of the node; reading its status on the way changes nothing. */
    private static final Set<String> ACTIONS = Set.of("openChannel", "closeChannel", "payNow", "fetchPaying");

    /** One server for the whole campaign: starting one per input would measure Jetty, not the decoders. */
    private static final class Node {
        static final FakeNodeControl CONTROL = new FakeNodeControl();
        static final ApiServer SERVER = start();
        static final KeepAliveClient HTTP = new KeepAliveClient(URI.create("http://127.0.0.1:"
                + SERVER.address().getPort()), "Authorization: Bearer " + TOKEN + "\r\n");

        private static ApiServer start() {
            try {
                Path dir = Files.createTempDirectory("api-fuzz");
                Path file = dir.resolve("api.token");
                Files.writeString(file, TOKEN + "\n");
                ApiServer server = ApiServer.start(CONTROL, new NodeConfig.Endpoint("127.0.0.1", 0), false,
                        ApiToken.read(file));
                Runtime.getRuntime().addShutdownHook(new Thread(server::close));
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void everyBodyIsServedOrRefusedWithNoEffect(byte[] input) {
        if (input.length == 0) {
            return;
        }
        String path = PATHS.get(Math.floorMod(input[0], PATHS.size()));
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        Node.CONTROL.forgetCalls();

        KeepAliveClient.Answer answer = Node.HTTP.post(path, body);

        if (answer.status() >= 400) {
            String code = JsonObjectReader.parse(answer.body()).string("code");
            assertThat(ErrorCode.fromCode(code)).as(path + " answered " + answer.status() + " " + code)
                    .hasValueSatisfying(refusal -> assertThat(refusal.kind()).isNotEqualTo(ErrorCode.Kind.INTERNAL));
            assertThat(Node.CONTROL.methodsCalled()).as("a refused body reached the node")
                    .doesNotContainAnyElementsOf(ACTIONS);
        } else {
            assertThat(answer.status()).isIn(200, 201);
        }
    }
}
