package io.turnpike.rpc;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny JSON-RPC node for the front's tests: answers eth_blockNumber (0x64), eth_chainId, eth_getBalance and
 * eth_getLogs ({@link #logs} entries), single or batched, and can be told to fail, stall, or answer given bytes.
 * It records every body it was sent.
 */
final class FakeUpstream implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpServer server;
    final List<String> received = new CopyOnWriteArrayList<>();
    volatile int logs;
    volatile int status = 200;
    volatile Duration delay = Duration.ZERO;
    /** When set, the answer to every request, byte for byte. */
    volatile String rawAnswer;

    FakeUpstream() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::answer);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The methods of every call received, in order. */
    List<String> methods() {
        List<String> methods = new ArrayList<>();
        for (String body : received) {
            JsonNode root = JSON.readTree(body);
            for (JsonNode call : root.isArray() ? root : List.of(root)) {
                methods.add(call.path("method").stringValue());
            }
        }
        return methods;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        received.add(body);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        byte[] answer;
        if (rawAnswer != null) {
            answer = rawAnswer.getBytes(StandardCharsets.UTF_8);
        } else {
            JsonNode request = JSON.readTree(body);
            answer = (request.isArray() ? batch(request) : single(request)).getBytes(StandardCharsets.UTF_8);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private String batch(JsonNode calls) {
        List<String> answers = new ArrayList<>();
        calls.forEach(call -> answers.add(single(call)));
        return "[" + String.join(",", answers) + "]";
    }

    private String single(JsonNode call) {
        String result = switch (call.path("method").stringValue()) {
            case "eth_blockNumber" -> "\"0x64\"";
            case "eth_chainId" -> "\"0x7a69\"";
            case "eth_getBalance" -> "\"0xde0b6b3a7640000\"";
            case "eth_getLogs" -> {
                List<String> entries = new ArrayList<>();
                for (int i = 0; i < logs; i++) {
                    entries.add("{\"logIndex\":\"0x" + Integer.toHexString(i) + "\",\"data\":\"0x\"}");
                }
                yield "[" + String.join(",", entries) + "]";
            }
            default -> "null";
        };
        return "{\"jsonrpc\":\"2.0\",\"id\":" + call.path("id") + ",\"result\":" + result + "}";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
