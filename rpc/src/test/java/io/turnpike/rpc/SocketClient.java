package io.turnpike.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A program's WebSocket, as a wallet opens one: frames it sends, and every frame it gets, in order. */
public final class SocketClient implements Session.Listener.AutoDemanding, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private volatile Session session;

    /** Connects to {@code uri} with {@code headers} on the upgrade; fails if the upgrade is refused. */
    static SocketClient connect(URI uri, Map<String, String> headers) throws Exception {
        SocketClient client = new SocketClient();
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        headers.forEach(request::setHeader);
        client.session = Sockets.client().connect(client, request).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        client.session.setIdleTimeout(Duration.ofMinutes(5));
        return client;
    }

    void send(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** The next frame, which must come within a bound. */
    JsonNode next() throws InterruptedException {
        String frame = received.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(frame).as("a frame within %s", WAIT).isNotNull();
        return JSON.readTree(frame);
    }

    /** Sends {@code call} and answers the next frame, which must be its answer. */
    JsonNode call(String call) throws InterruptedException {
        send(call);
        return next();
    }

    /** Closes and waits for the front's close to come back; answers its status code. */
    int closeAndWait() throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        session.close(1000, "done", Callback.NOOP);
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Waits for the other side to close; answers its status code. */
    int awaitClosed() throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void onWebSocketText(String message) {
        received.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        callback.succeed();
        closed.complete(statusCode);
    }

    @Override
    public void close() {
        Session open = session;
        if (open != null && open.isOpen()) {
            open.close(1000, "done", Callback.NOOP);
        }
    }
}
