package io.turnpike.rpc;

import io.turnpike.core.Address;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A front on a {@link TestTicker} before {@link FakeUpstream}s, clients that hold sessions, and what it charged. */
final class FrontFixture implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One answer of the front, as a client reads it. */
    record Answer(int status, String body, HttpResponse<String> response) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        /** The stable code of the front's own error, or null. */
        String code() {
            return json().path("error").path("data").path("turnpike").stringValue();
        }

        long cost() {
            return response.headers().firstValueAsLong(RpcFront.COST_HEADER).orElse(0);
        }
    }

    final TestTicker ticker = new TestTicker();
    final ChargeLog charges = new ChargeLog();
    final RpcFront front;
    private final Map<Address, String> tokens = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    FrontFixture(FrontSettings settings) {
        try {
            front = RpcFront.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), settings,
                    (client, token) -> token.equals(tokens.get(client)), charges, ticker);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A front before {@code upstream}, with the default table and {@code adjust}ed limits and capacity. */
    static FrontFixture before(FakeUpstream upstream, UnaryOperator<FrontSettings> adjust) {
        return new FrontFixture(adjust.apply(FrontSettings.of(java.util.List.of(upstream.url()))));
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + front.port() + "/");
    }

    /** A client the node has issued a session to. */
    Address client(int n) {
        Address client = Address.of(String.format("0x%040x", n));
        tokens.put(client, "token-of-client-" + n);
        return client;
    }

    String token(Address client) {
        return tokens.get(client);
    }

    Answer post(Address client, String body) {
        return post(client, tokens.get(client), body);
    }

    Answer post(Address client, String token, String body) {
        return send(request(client, token, body).build());
    }

    /** A POST of {@code body} logged in as {@code client}, for a test to add to. */
    HttpRequest.Builder request(Address client, String token, String body) {
        String credentials = Base64.getEncoder()
                .encodeToString((client + ":" + token).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(url()).header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    }

    Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String call(Object id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    static String getLogs(Object id, long from, long to) {
        return call(id, "eth_getLogs", "[{\"fromBlock\":\"0x" + Long.toHexString(from) + "\",\"toBlock\":\"0x"
                + Long.toHexString(to) + "\"}]");
    }

    @Override
    public void close() {
        front.close();
    }
}
