package io.turnpike.chain;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.ObjectMapper;

/**
 * A JSON-RPC endpoint in front of a real chain that a test can make fail the way providers fail: down
 * (HTTP 503, nothing reaches the chain) or losing its answers to one method (the request reaches the
 * chain, the answer never comes back: the ambiguous send).
 */
public final class RpcProxy implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client = HttpClient.newHttpClient();
    private final URI target;
    private final Map<String, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    private volatile boolean down;
    private volatile String losingAnswersTo;
    private volatile int failStatus;
    private volatile byte[] failBody;

    private RpcProxy(String targetUrl) throws IOException {
        this.target = URI.create(targetUrl);
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static RpcProxy to(String targetUrl) {
        try {
            return new RpcProxy(targetUrl);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers every request with HTTP 503; nothing reaches the chain. */
    public void down() {
        down = true;
    }

    /** Forwards again, and delivers every answer. */
    public void up() {
        down = false;
        losingAnswersTo = null;
    }

    /** Forwards requests of {@code method} to the chain but closes the connection instead of answering. */
    public void loseAnswersTo(String method) {
        losingAnswersTo = method;
    }

    /** How many requests of {@code method} reached the chain. */
    public int forwarded(String method) {
        return forwarded.getOrDefault(method, new AtomicInteger()).get();
    }

    /** How many requests of any method reached the chain. */
    public int forwarded() {
        return forwarded.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Answers every request with {@code status} and {@code body}, as a provider refusing a key does. */
    public void failWith(int status, String body) {
        failBody = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        failStatus = status;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (down) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] failing = failBody;
            if (failing != null) {
                exchange.sendResponseHeaders(failStatus, failing.length);
                exchange.getResponseBody().write(failing);
                return;
            }
            String method = JSON.readTree(body).path("method").asString();
            HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(target)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            forwarded.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            if (method.equals(losingAnswersTo)) {
                return; // closing without a response drops the connection: the client sees an I/O error
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
            exchange.getResponseBody().write(answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
        client.close();
    }
}
