package io.turnpike.rpc;

import io.turnpike.core.Amount;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What the front's and the entry's WebSockets share: the one client that dials out (the front to its upstreams, the
 * entry to the front), the accounting envelope, and how an upgrade is refused.
 *
 * <p>The envelope: a frame the front charged for — an answer to a call, or a notification — goes to the entry as
 * {@code {"turnpike":{"cost":UNITS,"price":"WEI","buffer":"units/limit/rate"},"message":MESSAGE}}, the message being
 * the bytes the client gets, untouched. The entry meters the cost at the price, keeps its buffer estimate, and passes
 * the message on alone. What the front did not charge (its own errors, a subscription's id) goes bare.
 */
final class Sockets {

    private static final String ENVELOPE_START = "{\"turnpike\":{\"cost\":";

    /** One dialler for the process, on daemon threads, started on first use. */
    private static final class Dialler {
        static final WebSocketClient CLIENT = start();

        private static WebSocketClient start() {
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("rpc-sockets");
            threads.setDaemon(true);
            HttpClient http = new HttpClient();
            http.setExecutor(threads);
            try {
                // Started first, so that the WebSocket client runs on these daemon threads, not a pool of its own.
                http.start();
                WebSocketClient client = new WebSocketClient(http);
                client.start();
                return client;
            } catch (Exception failed) {
                throw new IllegalStateException("cannot start the rpc WebSocket client: " + failed.getMessage(),
                        failed);
            }
        }
    }

    private Sockets() {
    }

    static WebSocketClient client() {
        return Dialler.CLIENT;
    }

    /** A JSON-RPC node's WebSocket on the same host and port as its HTTP URL: {@code ws://} for {@code http://}. */
    static URI socketOf(URI http) {
        String scheme = "https".equalsIgnoreCase(http.getScheme()) ? "wss" : "ws";
        try {
            return new URI(scheme, http.getRawUserInfo(), http.getHost(), http.getPort(), http.getRawPath(),
                    http.getRawQuery(), null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no WebSocket address for " + http.getScheme() + "://"
                    + http.getHost(), e);
        }
    }

    /** The message of an envelope that only carries a charge: for calls without an id, which are not answered. */
    static final byte[] NO_MESSAGE = "null".getBytes(StandardCharsets.US_ASCII);

    /** A charged message in its envelope. */
    static String envelope(byte[] message, long cost, Amount price, String buffer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + 96);
        out.writeBytes((ENVELOPE_START + cost + ",\"price\":\"" + price + "\",\"buffer\":\"" + buffer
                + "\"},\"message\":").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(message);
        out.write('}');
        return out.toString(StandardCharsets.UTF_8);
    }

    /** An envelope opened: what was charged, and the message as the front sent it. */
    record Opened(long cost, Amount price, String buffer, byte[] message) {
    }

    /** The envelope {@code frame} is, opened; empty for a bare message (or an envelope that cannot be read). */
    static Optional<Opened> open(byte[] frame) {
        if (!new String(frame, 0, Math.min(frame.length, ENVELOPE_START.length()), StandardCharsets.US_ASCII)
                .equals(ENVELOPE_START)) {
            return Optional.empty();
        }
        try {
            JsonNode tree = RpcRequest.JSON.readTree(frame);
            JsonNode charge = tree.path("turnpike");
            JsonSlices.Range root = JsonSlices.root(frame);
            Optional<JsonSlices.Range> message = JsonSlices.member(frame, root, "message");
            if (!charge.path("cost").canConvertToLong() || message.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new Opened(charge.path("cost").longValue(),
                    Amount.of(new BigInteger(charge.path("price").asString())),
                    charge.path("buffer").asString(), message.get().of(frame)));
        } catch (JacksonException | IllegalArgumentException unreadable) {
            return Optional.empty();
        }
    }

    /** Refuses an upgrade with a JSON-RPC error at the refusal's HTTP status; no WebSocket is opened. */
    static Object refuse(ServerUpgradeResponse response, Callback callback, RpcRefusal refusal, String message) {
        response.setStatus(refusal.code().httpStatus());
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(Answers.error(refusal, message)), callback);
        return null;
    }
}
