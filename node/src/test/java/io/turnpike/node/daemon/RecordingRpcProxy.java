package io.turnpike.node.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.turnpike.rpc.RpcFront;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * Stands between a program and a JSON-RPC endpoint and writes down every exchange: what the program asked, what it
 * was answered, and the cost the answer carried — so a test knows which calls a tool such as cast really made.
 */
final class RecordingRpcProxy implements AutoCloseable {

    /**
     * One request and its answer; {@code cost} is the answer's {@value RpcFront#COST_HEADER}, 0 if none, and
     * {@code price} its {@value RpcFront#PRICE_HEADER}, 0 if none.
     */
    record Exchange(String request, String answer, long cost, long price) {
    }

    private final URI target;
    private final HttpServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

    RecordingRpcProxy(URI target) {
        this.target = target;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::forward);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void forward(HttpExchange exchange) throws IOException {
        byte[] request = exchange.getRequestBody().readAllBytes();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(target).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        exchanges.add(new Exchange(new String(request, StandardCharsets.UTF_8),
                new String(answer.body(), StandardCharsets.UTF_8),
                answer.headers().firstValueAsLong(RpcFront.COST_HEADER).orElse(0),
                answer.headers().firstValueAsLong(RpcFront.PRICE_HEADER).orElse(0)));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
