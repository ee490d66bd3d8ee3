package io.turnpike.rpc;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One client subscription as the front holds it upstream: a WebSocket of its own to the first upstream that takes the
 * {@code eth_subscribe}, so that closing it frees the upstream's subscription however the client left. Each
 * notification is passed on as the upstream's bytes with only the subscription id changed to the front's, which stays
 * the same when the connection breaks and the subscription is made again on the next upstream. Notifications sent
 * while none held it are not replayed — the front has no upstream's bytes for them — but for {@code newHeads} the
 * client is told which blocks it missed: the numbers between the last head passed on and the first after.
 */
final class UpstreamSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamSubscription.class);

    /** Where the notifications go. */
    interface Listener {

        /** A notification, with the front's id in it, and its {@code result} to price it by. */
        void notification(UpstreamSubscription subscription, byte[] message, JsonNode result);

        /** The subscription broke and no upstream took it again: it is over. */
        void ended(UpstreamSubscription subscription, String problem);

        /**
         * A {@code newHeads} subscription was made again after its connection broke, and the blocks
         * {@code fromBlock..toBlock} came while none held it: their heads were never passed on.
         */
        void missed(UpstreamSubscription subscription, long fromBlock, long toBlock);
    }

    /** What became of {@link #subscribe}. */
    sealed interface Outcome {
    }

    /** The subscription is made; notifications follow. */
    record Made() implements Outcome {
    }

    /** An upstream refused it (a filter it cannot read, say): its answer, as it sent it. */
    record Refused(byte[] answer) implements Outcome {
    }

    /** No upstream could be reached, or none answered in time. */
    record Unavailable(String problem) implements Outcome {
    }

    private final String id;
    private final String kind;
    private final byte[] call;
    private final Supplier<List<URI>> sockets;
    private final Duration timeout;
    private final int maxFrameBytes;
    private final Duration idleTimeout;
    private final Listener listener;
    private volatile Upstream current;
    private volatile boolean closed;
    /** For {@code newHeads}: the number of the last head passed on, -1 before the first. */
    private volatile long lastHead = -1;
    /** Made again after a break, and no head passed on since: the next tells what was missed. */
    private volatile boolean resumed;

    /**
     * @param id the front's id for it, which the client sees
     * @param params the client's {@code params}, as it sent them
     * @param sockets the upstreams to try, in order
     * @param idleTimeout how long an upstream connection may carry nothing before it is closed and made again
     */
    UpstreamSubscription(String id, String kind, byte[] params, Supplier<List<URI>> sockets, Duration timeout,
                         int maxFrameBytes, Duration idleTimeout, Listener listener) {
        this.id = id;
        this.kind = kind;
        this.call = ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_subscribe\",\"params\":"
                + new String(params, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
        this.sockets = sockets;
        this.timeout = timeout;
        this.maxFrameBytes = maxFrameBytes;
        this.idleTimeout = idleTimeout;
        this.listener = listener;
    }

    String id() {
        return id;
    }

    String kind() {
        return kind;
    }

    /** Makes the subscription on the first upstream that answers; blocks for at most the timeout per upstream. */
    Outcome subscribe() {
        String problem = "no upstream";
        for (URI socket : sockets.get()) {
            if (closed) {
                return new Unavailable("the subscription was closed");
            }
            Upstream upstream = new Upstream();
            ClientUpgradeRequest request = new ClientUpgradeRequest(socket);
            request.setTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
            try {
                Session session = Sockets.client().connect(new SocketEvents(upstream), request).get(timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
                session.setMaxTextMessageSize(maxFrameBytes);
                session.setIdleTimeout(idleTimeout);
                current = upstream;
                session.sendText(new String(call, StandardCharsets.UTF_8), Callback.NOOP);
                JsonNode answer = upstream.answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                if (answer.path("result").isString()) {
                    if (closed) {
                        upstream.close();
                    }
                    return new Made();
                }
                upstream.close();
                return new Refused(upstream.answerBytes);
            } catch (ExecutionException | TimeoutException | IOException e) {
                upstream.close();
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                problem = cause == null || cause.getMessage() == null ? String.valueOf(cause) : cause.getMessage();
                LOG.info("an upstream did not take a {} subscription: {}", kind, problem);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                upstream.close();
                return new Unavailable("the front is stopping");
            }
        }
        return new Unavailable(problem);
    }

    /** Ends it: its upstream connection is closed, which ends the upstream's subscription too. */
    void close() {
        closed = true;
        Upstream upstream = current;
        if (upstream != null) {
            upstream.close();
        }
    }

    /** One connection to one upstream, holding the subscription once it is answered. */
    private final class Upstream implements SocketEvents.Side {
        final CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        volatile byte[] answerBytes;
        volatile String upstreamId;
        volatile Session session;

        @Override
        public void opened(Session opened) {
            session = opened;
        }

        @Override
        public void text(String text) {
            byte[] message = text.getBytes(StandardCharsets.UTF_8);
            JsonNode tree;
            try {
                tree = RpcRequest.JSON.readTree(message);
            } catch (JacksonException notJson) {
                LOG.warn("an upstream sent a WebSocket frame that is not JSON");
                return;
            }
            if (tree == null || !tree.isObject()) {
                return;
            }
            if (!answer.isDone() && tree.path("id").asInt(-1) == 1) {
                answerBytes = message;
                upstreamId = tree.path("result").isString() ? tree.path("result").stringValue() : null;
                answer.complete(tree);
                return;
            }
            JsonNode params = tree.path("params");
            String to = upstreamId;
            if (to == null || closed || !"eth_subscription".equals(tree.path("method").stringValue(null))
                    || !to.equals(params.path("subscription").stringValue(null))) {
                return;
            }
            JsonSlices.Range paramsRange = JsonSlices.member(message, JsonSlices.root(message), "params").orElseThrow();
            Optional<JsonSlices.Range> subscription = JsonSlices.member(message, paramsRange, "subscription");
            byte[] ours = JsonSlices.replace(message, subscription.orElseThrow(),
                    ("\"" + id + "\"").getBytes(StandardCharsets.US_ASCII));
            if (Pricing.NEW_HEADS_KIND.equals(kind)) {
                Pricing.quantity(params.path("result").path("number")).ifPresent(this::head);
            }
            listener.notification(UpstreamSubscription.this, ours, params.path("result"));
        }

        /** A head about to be passed on: after a break, the blocks between the last one and it were missed. */
        private void head(long number) {
            long last = lastHead;
            if (resumed) {
                resumed = false;
                if (last >= 0 && number > last + 1) {
                    listener.missed(UpstreamSubscription.this, last + 1, number - 1);
                }
            }
            lastHead = number;
        }

        @Override
        public void closed(int statusCode, String reason) {
            answer.completeExceptionally(new IOException("the upstream closed the connection (" + statusCode + ")"));
            if (!closed && current == this && upstreamId != null) {
                Thread.ofVirtual().name("rpc-resubscribe").start(UpstreamSubscription.this::again);
            }
        }

        @Override
        public void failed(Throwable cause) {
            answer.completeExceptionally(cause);
        }

        void close() {
            Session open = session;
            if (open != null && open.isOpen()) {
                open.close(StatusCode.NORMAL, "unsubscribed", Callback.NOOP);
            }
        }
    }

    /** The upstream's connection broke: the subscription is made again on the next upstream that takes it. */
    private void again() {
        LOG.info("an upstream's connection holding a {} subscription broke; subscribing again", kind);
        resumed = true;
        if (!(subscribe() instanceof Made) && !closed) {
            listener.ended(this, "no upstream took the subscription again");
        }
    }
}
