package io.turnpike.node.api;

import static io.turnpike.node.api.FakeNodeControl.CLIENT;
import static io.turnpike.node.api.FakeNodeControl.PROVIDER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ControlException;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ApiServerTest {

    static final String TOKEN = "8f4c2b1e9a7d6c5b4a3928171615141312111009080706050403020100ffeedd";
    private static final List<String> ACTIONS = List.of("openChannel", "closeChannel", "previewPayment", "payNow");

    @TempDir
    Path dir;

    private final FakeNodeControl node = new FakeNodeControl();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private ApiServer server;

    @BeforeEach
    void start() throws IOException {
        server = ApiServer.start(node, new NodeConfig.Endpoint("127.0.0.1", 0), false, token(dir, TOKEN));
    }

    @AfterEach
    void stop() {
        server.close();
        http.close();
    }

    static ApiToken token(Path dir, String token) throws IOException {
        Path file = dir.resolve("api.token");
        Files.writeString(file, token + "\n");
        return ApiToken.read(file);
    }

    @Test
    void statusShowsTheNodeAtAGlance() {
        JsonNode status = ok(get("/api/status"));

        assertThat(status.get("address").stringValue()).isEqualTo(FakeNodeControl.SELF.toString());
        assertThat(status.get("chainId").longValue()).isEqualTo(31337);
        assertThat(status.get("contract").stringValue()).isEqualTo(FakeNodeControl.CONTRACT.toString());
        assertThat(status.get("headBlock").longValue()).isEqualTo(1234);
        assertThat(status.get("chainStale").booleanValue()).isFalse();
        assertThat(status.get("asset").toString())
                .isEqualTo("{\"symbol\":\"ETH\",\"token\":\"0x0000000000000000000000000000000000000000\",\"decimals\":18}");
        assertThat(status.get("services").toString()).isEqualTo("[\"bandwidth\"]");
        assertThat(status.get("localSocksPort").intValue()).isEqualTo(1080);
        assertThat(status.get("relayPort").isNull()).isTrue();
        assertThat(status.get("peerPort").intValue()).isEqualTo(8646);
    }

    @Test
    void peersCarryExactAmountsInTheSmallestUnitAndAsFigures() {
        JsonNode peers = ok(get("/api/peers"));

        assertThat(peers.get("asset").get("symbol").stringValue()).isEqualTo("ETH");
        JsonNode provider = peers.get("peers").get(0);
        assertThat(provider.get("address").stringValue()).isEqualTo(PROVIDER.toString());
        assertThat(provider.get("connected").booleanValue()).isTrue();
        assertThat(provider.get("role").stringValue()).isEqualTo("provider");
        assertThat(provider.get("tier").stringValue()).isEqualTo("paid");
        assertThat(provider.get("used").toString()).isEqualTo("{\"value\":\"14200000000000000\",\"formatted\":\"0.0142 ETH\"}");
        assertThat(provider.get("paid").toString()).isEqualTo("{\"value\":\"10000000000000000\",\"formatted\":\"0.01 ETH\"}");
        assertThat(provider.get("owed").toString()).isEqualTo("{\"value\":\"4200000000000000\",\"formatted\":\"0.0042 ETH\"}");
        assertThat(provider.get("credit").toString()).isEqualTo("{\"value\":\"0\",\"formatted\":\"0 ETH\"}");
        assertThat(provider.get("inFlight").get("value").stringValue()).isEqualTo("0");
        assertThat(provider.get("channelId").longValue()).isEqualTo(3);
        JsonNode client = peers.get("peers").get(1);
        assertThat(client.get("owed").toString()).isEqualTo("{\"value\":\"1\",\"formatted\":\"0.000000000000000001 ETH\"}");
        assertThat(client.get("channelId").isNull()).isTrue();
        assertThat(client.get("connected").booleanValue()).isFalse();
    }

    @Test
    void channelsShowBothSidesAndWhenAClosedOneSettles() {
        JsonNode channels = ok(get("/api/channels")).get("channels");

        JsonNode open = channels.get(0);
        assertThat(open.get("channelId").longValue()).isEqualTo(3);
        assertThat(open.get("partner").stringValue()).isEqualTo(PROVIDER.toString());
        assertThat(open.get("asset").get("symbol").stringValue()).isEqualTo("ETH");
        assertThat(open.get("state").stringValue()).isEqualTo("OPEN");
        assertThat(open.get("ownDeposit").get("formatted").stringValue()).isEqualTo("0.5 ETH");
        assertThat(open.get("partnerDeposit").get("value").stringValue()).isEqualTo("0");
        assertThat(open.get("sent").get("value").stringValue()).isEqualTo("10000000000000000");
        assertThat(open.get("received").get("value").stringValue()).isEqualTo("0");
        assertThat(open.get("spendable").get("formatted").stringValue()).isEqualTo("0.49 ETH");
        assertThat(open.get("settleAt").isNull()).isTrue();
        JsonNode closed = channels.get(1);
        assertThat(closed.get("state").stringValue()).isEqualTo("CLOSED");
        assertThat(closed.get("settleAt").stringValue()).isEqualTo("2026-11-21T09:00:00Z");
    }

    @Test
    void openingAChannelTakesTheDepositInWholeUnitsExactly() {
        HttpResponse<String> response = post("/api/channels",
                "{\"partner\": \"" + PROVIDER + "\", \"deposit\": \"0.500000000000000001\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(node.calls()).contains(new FakeNodeControl.Call("openChannel",
                List.of(PROVIDER, Amount.of(500_000_000_000_000_001L), false)));
        JsonNode channel = json(response);
        assertThat(channel.get("channelId").longValue()).isEqualTo(4);
        assertThat(channel.get("ownDeposit").get("formatted").stringValue()).isEqualTo("0.500000000000000001 ETH");

        post("/api/channels", "{\"partner\": \"" + PROVIDER + "\", \"deposit\": \"1\", \"force\": true}");
        assertThat(node.calls()).contains(new FakeNodeControl.Call("openChannel",
                List.of(PROVIDER, Amount.of(1_000_000_000_000_000_000L), true)));
    }

    @Test
    void theFeesOfEachChannelActionAreInEtherAtTheFeeCapTimesTheirGas() {
        HttpResponse<String> response = get("/api/fees");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode fees = json(response);
        assertThat(fees.get("maxFeePerGas").get("formatted").stringValue()).isEqualTo("0.000000002 ETH");
        JsonNode open = fees.get("actions").get(0);
        assertThat(open.get("action").stringValue()).isEqualTo("open");
        assertThat(open.get("gas").longValue()).isEqualTo(145_000);
        assertThat(open.get("fee").get("value").stringValue()).isEqualTo("290000000000000");
        assertThat(open.get("fee").get("formatted").stringValue()).isEqualTo("0.00029 ETH");
    }

    @Test
    void closingAChannelIsCooperativeUnlessForced() {
        JsonNode forced = ok(post("/api/channels/3/close", "{\"force\": true}"));
        ok(post("/api/channels/7/close", ""));
        ok(post("/api/channels/8/close", "{}"));

        assertThat(forced.get("state").stringValue()).isEqualTo("CLOSED");
        assertThat(forced.get("settleAt").stringValue()).isEqualTo("2026-11-21T09:00:00Z");
        assertThat(node.calls()).filteredOn(call -> call.method().equals("closeChannel"))
                .extracting(FakeNodeControl.Call::arguments)
                .containsExactly(List.of(3L, true), List.of(7L, false), List.of(8L, false));
    }

    @Test
    void thePreviewAsksTheQuestionAndPaysNothing() {
        JsonNode preview = ok(get("/api/pay/" + PROVIDER));

        assertThat(preview.get("question").stringValue()).isEqualTo("Transfer 0.0042 ETH to " + PROVIDER + "?");
        assertThat(preview.get("amount").get("value").stringValue()).isEqualTo("4200000000000000");
        assertThat(preview.get("channelId").longValue()).isEqualTo(3);
        assertThat(node.methodsCalled()).containsExactly("previewPayment");
    }

    @Test
    void payingNowReportsWhatThePeerAcknowledged() {
        JsonNode paid = ok(post("/api/pay/" + PROVIDER.toLowerHex(), "{}"));

        assertThat(node.calls()).containsExactly(new FakeNodeControl.Call("payNow", List.of(PROVIDER)));
        assertThat(paid.get("amount").get("formatted").stringValue()).isEqualTo("0.0042 ETH");
        assertThat(paid.get("channelId").longValue()).isEqualTo(3);
        assertThat(paid.get("nonce").longValue()).isEqualTo(57);
        assertThat(paid.get("paidTotal").get("formatted").stringValue()).isEqualTo("0.0142 ETH");
        assertThat(paid.get("owed").get("value").stringValue()).isEqualTo("0");
    }

    @Test
    void withoutTheRightTokenNothingIsAnsweredAndTheNodeIsNotAsked() {
        List<String[]> requests = List.of(new String[] {"GET", "/api/status"}, new String[] {"GET", "/api/peers"},
                new String[] {"GET", "/api/channels"}, new String[] {"POST", "/api/channels"},
                new String[] {"POST", "/api/channels/3/close"}, new String[] {"GET", "/api/pay/" + PROVIDER},
                new String[] {"POST", "/api/pay/" + PROVIDER}, new String[] {"GET", "/metrics"},
                new String[] {"GET", "/api/unknown"});
        List<String> authorizations = List.of("", "Bearer ", "Bearer " + TOKEN.substring(1),
                "Bearer " + TOKEN + "0", "Basic " + TOKEN, TOKEN);
        for (String[] request : requests) {
            for (String authorization : authorizations) {
                HttpResponse<String> response = send(request[0], request[1], "{}", authorization);

                assertThat(response.statusCode()).as(request[1] + " with '" + authorization + "'").isEqualTo(401);
                assertThat(code(response)).isEqualTo("unauthenticated");
                assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"turnpike\"");
                assertThat(response.body()).doesNotContain(TOKEN);
            }
        }
        assertThat(node.calls()).isEmpty();
    }

    @Test
    void theBearerSchemeIsCaseInsensitive() {
        assertThat(send("GET", "/api/status", null, "bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void malformedInputIsRefusedWithAStableCodeAndAsksTheNodeToDoNothing() {
        String partner = "\"partner\": \"" + PROVIDER + "\"";
        Map<String, List<String[]>> cases = Map.of(
                "malformed_body", List.of(
                        new String[] {"/api/channels", "not json"},
                        new String[] {"/api/channels", ""},
                        new String[] {"/api/channels", "[1, 2]"},
                        new String[] {"/api/channels", "{" + partner + "}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": 0.5}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"0.5\", \"fee\": \"1\"}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"0.5\"} {}"},
                        new String[] {"/api/channels/3/close", "{\"forse\": true}"},
                        new String[] {"/api/channels/3/close", "{\"force\": \"yes\"}"},
                        new String[] {"/api/channels/3/close", "{\"force\": null}"},
                        new String[] {"/api/channels/3/close", "{\"force\": false, \"force\": true}"},
                        new String[] {"/api/pay/" + PROVIDER, "{\"amount\": \"1\"}"}),
                "bad_argument", List.of(
                        new String[] {"/api/channels", "{\"partner\": \"0x1234\", \"deposit\": \"0.5\"}"},
                        new String[] {"/api/channels", "{\"partner\": \"" + PROVIDER.toString().replace('C', 'c')
                                + "\", \"deposit\": \"0.5\"}"},
                        new String[] {"/api/pay/0xnot-an-address", "{}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"0.1234567890123456789\"}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"-1\"}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"0\"}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"half\"}"},
                        new String[] {"/api/channels", "{" + partner + ", \"deposit\": \"1e80\"}"},
                        new String[] {"/api/channels/three/close", "{}"},
                        new String[] {"/api/channels/0/close", "{}"},
                        new String[] {"/api/channels/-1/close", "{}"},
                        new String[] {"/api/channels/99999999999999999999/close", "{}"}));
        cases.forEach((code, requests) -> {
            for (String[] request : requests) {
                HttpResponse<String> response = post(request[0], request[1]);

                assertThat(response.statusCode()).as(request[0] + " " + request[1] + ": " + response.body())
                        .isEqualTo(400);
                assertThat(code(response)).as(request[0] + " " + request[1]).isEqualTo(code);
                assertThat(json(response).get("message").stringValue()).isNotBlank();
            }
        });
        HttpResponse<String> preview = get("/api/pay/0x123");
        assertThat(preview.statusCode()).isEqualTo(400);
        assertThat(code(preview)).isEqualTo("bad_argument");
        // Expect: 100-continue, so the refusal comes before the body goes: the server answers from Content-Length
        // and closes, and a client still sending 20 KB could see the close before the answer.
        HttpResponse<String> huge = send("POST", "/api/channels", "{\"partner\": \"" + "0".repeat(20_000) + "\"}",
                "Bearer " + TOKEN, true);
        assertThat(huge.statusCode()).isEqualTo(413);
        assertThat(code(huge)).isEqualTo("body_too_large");

        assertThat(node.methodsCalled()).doesNotContainAnyElementsOf(ACTIONS);
    }

    @Test
    void providersAreListedBestFirstWithWhatEachServiceUses() {
        JsonNode view = ok(get("/api/providers"));

        JsonNode best = view.get("providers").get(0);
        assertThat(best.get("address").stringValue()).isEqualTo(PROVIDER.toString());
        assertThat(best.get("score").longValue()).isEqualTo(660);
        assertThat(best.get("services").get(0).get("price").get("value").stringValue()).isEqualTo("20000");
        assertThat(best.get("plans").get(0).get("monthly").get("formatted").stringValue()).isEqualTo("0.01 ETH");
        assertThat(best.get("history").get("disconnects").longValue()).isEqualTo(2);
        JsonNode unreachable = view.get("providers").get(1);
        assertThat(unreachable.get("latencyMs").isNull()).isTrue();
        assertThat(unreachable.get("configured").booleanValue()).isFalse();
        assertThat(view.get("providers").get(2).get("stake").isNull()).isTrue();
        assertThat(view.get("chosen").get("bandwidth").stringValue()).isEqualTo(PROVIDER.toString());
    }

    @Test
    void aServiceIsPinnedToAProviderAndLetGoAgain() {
        String third = FakeNodeControl.THIRD_PROVIDER.toString();
        JsonNode pinned = ok(send("PUT", "/api/services/rpc/provider",
                "{\"provider\": \"" + third.toLowerCase(Locale.ROOT) + "\"}", "Bearer " + TOKEN));

        assertThat(pinned.get("pinned").stringValue()).isEqualTo(third);
        assertThat(pinned.get("chosen").isNull()).isTrue(); // pinned to one that is not connected: nothing else
        assertThat(ok(get("/api/providers")).get("chosen").get("rpc").isNull()).isTrue();

        JsonNode released = ok(send("PUT", "/api/services/rpc/provider", "{\"provider\": null}", "Bearer " + TOKEN));
        assertThat(released.get("pinned").isNull()).isTrue();
        assertThat(released.get("chosen").stringValue()).isEqualTo(PROVIDER.toString());
    }

    @Test
    void aPinNamingNoProviderOrNoServiceIsRefusedAndChangesNothing() {
        Map<String, String[]> refusals = Map.of(
                "bad_argument", new String[] {"rpc", "{\"provider\": \"0x1234\"}"},
                "malformed_body", new String[] {"rpc", "{\"provder\": \"" + PROVIDER + "\"}"},
                "unknown_service", new String[] {"teleport", "{\"provider\": \"" + PROVIDER + "\"}"});
        String before = get("/api/providers").body();
        refusals.forEach((code, request) -> {
            HttpResponse<String> response = send("PUT", "/api/services/" + request[0] + "/provider", request[1],
                    "Bearer " + TOKEN);

            assertThat(code(response)).as(request[1]).isEqualTo(code);
            assertThat(response.statusCode()).isEqualTo(code.equals("unknown_service") ? 404 : 400);
        });
        assertThat(get("/api/providers").body()).isEqualTo(before);
        // Only the node can tell which services it buys; the malformed requests never reached it.
        assertThat(node.calls()).filteredOn(call -> call.method().equals("pinProvider")).hasSize(1);
    }

    @Test
    void theNodesRefusalsKeepTheirCodeAndStatus() {
        node.failWith(ControlException.unknownPeer(CLIENT));
        HttpResponse<String> unknown = get("/api/pay/" + CLIENT);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(code(unknown)).isEqualTo("unknown_peer");
        assertThat(json(unknown).get("message").stringValue()).contains("turnpike peers");

        node.failWith(ControlException.nothingOwed(PROVIDER));
        assertThat(post("/api/pay/" + PROVIDER, "{}").statusCode()).isEqualTo(409);

        node.failWith(new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "the channel holds too little"));
        HttpResponse<String> funds = post("/api/pay/" + PROVIDER, "{}");
        assertThat(funds.statusCode()).isEqualTo(409);
        assertThat(code(funds)).isEqualTo("insufficient_funds");
        assertThat(json(funds).get("message").stringValue()).isEqualTo("the channel holds too little");

        node.failWith(new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, "too much"));
        assertThat(post("/api/pay/" + PROVIDER, "{}").statusCode()).isEqualTo(400);

        node.failWith(new TurnpikeException(ErrorCode.CHAIN_UNREACHABLE, "no endpoint answered"));
        HttpResponse<String> chain = get("/api/channels");
        assertThat(chain.statusCode()).isEqualTo(503);
        assertThat(code(chain)).isEqualTo("chain_unreachable");

        node.failWith(new IllegalStateException("secret internals"));
        HttpResponse<String> bug = get("/api/status");
        assertThat(bug.statusCode()).isEqualTo(500);
        assertThat(code(bug)).isEqualTo("internal");
        assertThat(bug.body()).doesNotContain("secret internals");
    }

    @Test
    void anUnknownPathIs404AndAWrongMethod405() {
        HttpResponse<String> unknown = get("/api/nothing");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(code(unknown)).isEqualTo("not_found");
        assertThat(get("/api/peers/").statusCode()).isEqualTo(404);

        HttpResponse<String> delete = send("DELETE", "/api/channels", null, "Bearer " + TOKEN);
        assertThat(delete.statusCode()).isEqualTo(405);
        assertThat(code(delete)).isEqualTo("method_not_allowed");
        assertThat(delete.headers().firstValue("Allow")).contains("GET, POST");
        HttpResponse<String> getClose = get("/api/channels/3/close");
        assertThat(getClose.statusCode()).isEqualTo(405);
        assertThat(getClose.headers().firstValue("Allow")).contains("POST");
        assertThat(post("/api/status", "{}").statusCode()).isEqualTo(405);

        assertThat(node.methodsCalled()).isEmpty();
    }

    @Test
    void metricsAreThePrometheusTextOfWhatTheNodeShows() {
        HttpResponse<String> response = get("/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body().lines()).contains(
                "# TYPE turnpike_head_block gauge",
                "turnpike_head_block 1234.0",
                "turnpike_chain_stale 0.0",
                "turnpike_peer_connected{asset=\"ETH\",peer=\"" + PROVIDER + "\",role=\"provider\"} 1.0",
                "turnpike_peer_owed{asset=\"ETH\",peer=\"" + PROVIDER + "\",role=\"provider\"} 4.2E15",
                "turnpike_peer_owed{asset=\"ETH\",peer=\"" + CLIENT + "\",role=\"client\"} 1.0",
                "# TYPE turnpike_payments_total counter",
                "turnpike_channel_spendable{asset=\"ETH\",channel=\"3\",partner=\"" + PROVIDER
                        + "\",state=\"OPEN\"} 4.9E17");
        // The closed channel 2 takes no payments: it has no spendable balance to show.
        assertThat(response.body()).doesNotContain("turnpike_channel_spendable{asset=\"ETH\",channel=\"2\"");
        // Every line is a comment or "name{labels} number": the format Prometheus parses.
        assertThat(response.body().lines()).allMatch(line -> line.startsWith("# ")
                || line.matches("[a-z_][a-z_0-9]*(\\{[^}]*})? [-+0-9.EeNaInf]+"));
    }

    @Test
    void theDashboardIsServedWithoutTheTokenAndHoldsNone() {
        HttpResponse<String> page = send("GET", "/", null, "");
        HttpResponse<String> script = send("GET", "/dashboard.js", null, "");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.body()).contains("<script src=\"/dashboard.js\"");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.body()).contains("'Authorization': 'Bearer ' + token()", "/api/pay/");
        assertThat(send("GET", "/dashboard.css", null, "").statusCode()).isEqualTo(200);
        assertThat(page.body() + script.body()).doesNotContain(TOKEN);
        assertThat(node.calls()).isEmpty();
    }

    @Test
    void anAddressOtherMachinesCanReachIsRefusedUnlessAllowed() throws IOException {
        ApiToken token = token(dir, TOKEN);
        NodeConfig.Endpoint everywhere = new NodeConfig.Endpoint("0.0.0.0", 0);

        assertThatThrownBy(() -> ApiServer.start(node, everywhere, false, token))
                .isInstanceOfSatisfying(TurnpikeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("turnpike.api.bind is 0.0.0.0")
                .hasMessageContaining("turnpike.api.allow-remote = true");
        try (ApiServer allowed = ApiServer.start(node, everywhere, true, token)) {
            assertThat(allowed.address().getAddress().isAnyLocalAddress()).isTrue();
        }
        try (ApiServer loopback = ApiServer.start(node, new NodeConfig.Endpoint("localhost", 0), false, token)) {
            assertThat(loopback.address().getAddress().isLoopbackAddress()).isTrue();
        }
    }

    @Test
    void aTakenPortIsNamed() {
        NodeConfig.Endpoint taken = new NodeConfig.Endpoint("127.0.0.1", server.address().getPort());

        assertThatThrownBy(() -> ApiServer.start(node, taken, false, ApiToken.read(dir.resolve("api.token"))))
                .isInstanceOf(TurnpikeException.class)
                .hasMessageContaining("turnpike.api.port");
    }

    private HttpResponse<String> get(String path) {
        return send("GET", path, null, "Bearer " + TOKEN);
    }

    private HttpResponse<String> post(String path, String body) {
        return send("POST", path, body, "Bearer " + TOKEN);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) {
        return send(method, path, body, authorization, false);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization,
                                      boolean expectContinue) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.address().getPort() + path)).expectContinue(expectContinue);
        if (!authorization.isEmpty()) {
            request.header("Authorization", authorization);
        }
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(method + " " + path, e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        return json(response);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JsonObjectReader.MAPPER.readTree(response.body());
    }

    private static String code(HttpResponse<String> response) {
        return json(response).get("code").stringValue();
    }
}
