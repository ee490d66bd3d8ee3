package io.turnpike.node.api;

import static io.turnpike.node.api.FakeNodeControl.PROVIDER;
import static io.turnpike.node.api.FakeNodeControl.THIRD_PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.paywall.PaywallClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's side of the API: through HTTP it sees the node exactly as the node shows itself. */
class ApiClientTest {

    @TempDir
    Path dir;

    private final FakeNodeControl node = new FakeNodeControl();
    private final FakeNodeControl reference = new FakeNodeControl();
    private ApiServer server;
    private ApiClient client;

    @BeforeEach
    void start() throws IOException {
        ApiToken token = ApiServerTest.token(dir, ApiServerTest.TOKEN);
        server = ApiServer.start(node, new NodeConfig.Endpoint("127.0.0.1", 0), false, token);
        client = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort()), token);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void throughTheApiTheNodeLooksExactlyAsItDoesInProcess() {
        assertThat(client.status()).isEqualTo(reference.status());
        assertThat(client.peers()).isEqualTo(reference.peers());
        assertThat(client.channels()).isEqualTo(reference.channels());
        assertThat(client.wallet()).isEqualTo(reference.wallet());
        assertThat(client.services()).isEqualTo(reference.services());
        assertThat(client.refusals()).isEqualTo(reference.refusals());
        assertThat(client.providers()).isEqualTo(reference.providers());
        assertThat(client.pinProvider("rpc", Optional.of(THIRD_PROVIDER)))
                .isEqualTo(reference.pinProvider("rpc", Optional.of(THIRD_PROVIDER)));
        assertThat(client.pinProvider("rpc", Optional.empty())).isEqualTo(reference.pinProvider("rpc", Optional.empty()));
        assertThat(client.previewPayment(PROVIDER)).isEqualTo(reference.previewPayment(PROVIDER));
        assertThat(client.payNow(PROVIDER)).isEqualTo(reference.payNow(PROVIDER));
        assertThat(client.closeChannel(3, true)).isEqualTo(reference.closeChannel(3, true));
        Amount oneWeiOverHalf = Amount.of(500_000_000_000_000_001L);
        assertThat(client.openChannel(PROVIDER, oneWeiOverHalf, false))
                .isEqualTo(reference.openChannel(PROVIDER, oneWeiOverHalf, false));
        assertThat(client.openChannel(PROVIDER, oneWeiOverHalf, true))
                .isEqualTo(reference.openChannel(PROVIDER, oneWeiOverHalf, true));
        assertThat(client.fees()).isEqualTo(reference.fees());

        // The API also asks for the status, for the node's asset; everything else reached the node as it was made.
        assertThat(node.calls()).filteredOn(call -> !call.method().equals("status"))
                .isEqualTo(reference.calls().stream().filter(call -> !call.method().equals("status")).toList());
    }

    @Test
    void theLargestAmountSurvivesTheTripExactly() {
        Amount max = Amount.of(Amount.MAX_UINT256);
        node.payingNow(max.minus(Amount.of(10_000_000_000_000_000L)));

        assertThat(client.payNow(PROVIDER).paidTotal()).isEqualTo(max);
    }

    @Test
    void aPaidRequestComesBackAsTheNodeAnsweredItAndReachedTheNodeAsMade() {
        HttpFetch fetch = new HttpFetch("GET", "http://127.0.0.1:8402/api/quotes", List.of("Accept: application/json"),
                Optional.empty(), Optional.of(Amount.of(1000)), Optional.empty());

        PaywallClient.Answer through = client.fetchPaying(fetch);
        PaywallClient.Answer inProcess = reference.fetchPaying(fetch);

        assertThat(List.of(through.status(), through.contentType(), through.paid()))
                .isEqualTo(List.of(inProcess.status(), inProcess.contentType(), inProcess.paid()));
        assertThat(through.body()).isEqualTo(inProcess.body());
        assertThat(node.calls()).contains(new FakeNodeControl.Call("fetchPaying", List.of(fetch)));
    }

    @Test
    void aRefusalComesBackWithTheNodesCodeStatusAndSentence() {
        node.failWith(ControlException.nothingOwed(PROVIDER));

        assertThatThrownBy(() -> client.previewPayment(PROVIDER))
                .isInstanceOfSatisfying(ControlException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOTHING_OWED);
                })
                .hasMessage(ControlException.nothingOwed(PROVIDER).getMessage());
    }

    @Test
    void anotherDataDirectorysTokenIsNamed() throws IOException {
        Path other = dir.resolve("other");
        java.nio.file.Files.createDirectory(other);
        try (ApiClient stranger = new ApiClient(URI.create("http://127.0.0.1:" + server.address().getPort()),
                ApiServerTest.token(other, "0".repeat(64)))) {

            assertThatThrownBy(stranger::status)
                    .isInstanceOfSatisfying(ControlException.class,
                            e -> assertThat(e.code().code()).isEqualTo("unauthenticated"))
                    .hasMessageContaining(other.resolve("api.token").toString())
                    .hasMessageContaining("--datadir");
        }
        assertThat(node.calls()).isEmpty();
    }

    @Test
    void aNodeThatIsNotRunningIsSaidToBeNotRunning() {
        int port = server.address().getPort();
        server.close();

        assertThatThrownBy(client::peers)
                .isInstanceOfSatisfying(ControlException.class, e -> assertThat(e.code().code()).isEqualTo("node_not_running"))
                .hasMessageContaining("http://127.0.0.1:" + port)
                .hasMessageContaining("turnpike node");
    }

    @Test
    void somethingElseAnsweringOnThePortIsNotTakenForTheNode() throws IOException {
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", exchange -> {
            byte[] page = "<html>hello</html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        other.start();
        try (ApiClient confused = new ApiClient(URI.create("http://127.0.0.1:" + other.getAddress().getPort()),
                ApiServerTest.token(dir, ApiServerTest.TOKEN))) {

            assertThatThrownBy(confused::status)
                    .isInstanceOfSatisfying(ControlException.class,
                            e -> assertThat(e.code().code()).isEqualTo("bad_response"))
                    .hasMessageContaining("turnpike.api.port");
        } finally {
            other.stop(0);
        }
    }

    @Test
    void aNodeListeningEverywhereIsReachedOnLoopback() {
        assertThat(ApiClient.baseUri(new NodeConfig.Endpoint("0.0.0.0", 8645))).hasToString("http://127.0.0.1:8645");
        assertThat(ApiClient.baseUri(new NodeConfig.Endpoint("::", 8645))).hasToString("http://[::1]:8645");
        assertThat(ApiClient.baseUri(new NodeConfig.Endpoint("::1", 9000))).hasToString("http://[::1]:9000");
        assertThat(ApiClient.baseUri(new NodeConfig.Endpoint("127.0.0.1", 8645))).hasToString("http://127.0.0.1:8645");
    }
}
