package io.turnpike.node.api.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.ErrorCode;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.api.FakeNodeControl;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The node's API as a client holding the token can post to it: the fuzzed bytes are a body (after a first byte that
 * picks the endpoint — open, close, pay, paid fetch), sent over HTTP to a real {@link ApiServer} in front of a
 * {@link FakeNodeControl}. Every answer is a success or a refusal with an input code, never a 500; and a refused
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
        static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
    void everyBodyIsServedOrRefusedWithNoEffect(byte[] input) throws IOException, InterruptedException {
        if (input.length == 0) {
            return;
        }
        String path = PATHS.get(Math.floorMod(input[0], PATHS.size()));
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        long actionsBefore = actions();

        HttpResponse<byte[]> answer = Node.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + Node.SERVER.address().getPort() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());

        if (answer.statusCode() >= 400) {
            String code = JsonObjectReader.parse(answer.body()).string("code");
            assertThat(ErrorCode.fromCode(code)).as(path + " answered " + answer.statusCode() + " " + code)
                    .hasValueSatisfying(refusal -> assertThat(refusal.kind()).isNotEqualTo(ErrorCode.Kind.INTERNAL));
            assertThat(actions()).as("a refused body reached the node").isEqualTo(actionsBefore);
        } else {
            assertThat(answer.statusCode()).isIn(200, 201);
        }
    }

    private static long actions() {
        return Node.CONTROL.calls().stream().filter(call -> ACTIONS.contains(call.method())).count();
    }
}
