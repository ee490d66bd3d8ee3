package io.turnpike.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The front's WebSocket JSON-RPC, on its HTTP port (any path): the upgrade logs in with HTTP Basic as a POST does.
 * Each text frame is a request, answered as over HTTP — the same pricing, admission and charge ({@link RpcFront}) —
 * one frame at a time per connection. {@code eth_subscribe} (a kind the {@link CostTable} prices: {@code newHeads},
 * {@code logs} with its filter) is held upstream ({@link UpstreamSubscription}); each notification is charged its
 * table price at the unit price of the moment it is sent, and sent only if the client's buffer holds it: while it
 * does not, notifications are dropped, counted, and the client is told once per run of drops with a
 * {@code turnpike_notificationsDropped} notification ({@code notifications_dropped}). A {@code newHeads} subscription
 * made again on another upstream tells the client the blocks it missed meanwhile, uncharged, with a
 * {@code turnpike_notificationsMissed} notification. What the front charged goes in the {@link Sockets envelope}. A
 * closed connection ends its subscriptions upstream.
 */
final class FrontSockets implements JsonHttpServer.Upgrades {

    private static final Logger LOG = LoggerFactory.getLogger(FrontSockets.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SecureRandom IDS = new SecureRandom();
    static final String SUBSCRIBE = "eth_subscribe";
    static final String UNSUBSCRIBE = "eth_unsubscribe";
    static final String DROPPED = "turnpike_notificationsDropped";
    static final String ENDED = "turnpike_subscriptionEnded";
    static final String MISSED = "turnpike_notificationsMissed";

    private final RpcFront front;
    private final CostTable costs;
    private final RpcLimits limits;
    private final SocketLimits sockets;
    private final Upstreams upstreams;
    /** Subscriptions held per client, over all its connections. */
    private final Map<Address, Integer> held = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    FrontSockets(RpcFront front, CostTable costs, RpcLimits limits, SocketLimits sockets, Upstreams upstreams) {
        this.front = front;
        this.costs = costs;
        this.limits = limits;
        this.sockets = sockets;
        this.upstreams = upstreams;
    }

    /** Notifications dropped, unsent and unpaid, since the front started. */
    long dropped() {
        return dropped.sum();
    }

    @Override
    public Handler.Singleton handler(Server server) {
        return WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(sockets.maxFrameBytes());
            container.setMaxBinaryMessageSize(sockets.maxFrameBytes());
            container.setIdleTimeout(sockets.idleTimeout());
            container.addMapping("/*", (request, response, callback) -> {
                Optional<Address> client = HttpCall.basicCredentials(request.getHeaders().get("Authorization"))
                        .flatMap(front::authenticated);
                if (client.isEmpty()) {
                    response.getHeaders().put("WWW-Authenticate", "Basic realm=\"turnpike rpc\"");
                    return Sockets.refuse(response, callback, RpcRefusal.UNAUTHENTICATED, "log in with HTTP Basic: "
                            + "your node's address and the session token this provider issued it");
                }
                // No extensions: permessage-deflate would let a small frame inflate past the limits.
                response.setExtensions(List.of());
                return new SocketEvents(new Connection(client.get()));
            });
        });
    }

    private boolean reserveSubscription(Address client) {
        boolean[] taken = {false};
        held.compute(client, (c, n) -> {
            int now = n == null ? 0 : n;
            taken[0] = now < sockets.maxSubscriptions();
            return taken[0] ? now + 1 : (now == 0 ? null : now);
        });
        return taken[0];
    }

    private void releaseSubscription(Address client) {
        held.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
    }

    /** A subscription of one connection: whether its id has gone to the client, and how its drops stand. */
    private static final class Held {
        final UpstreamSubscription upstream;
        boolean answered;
        final List<Runnable> early = new ArrayList<>();
        /** Told of the drops since the last notification sent. */
        boolean toldOfDrops;

        Held(UpstreamSubscription upstream) {
            this.upstream = upstream;
        }
    }

    /** One client's WebSocket: frames in, one at a time; answers and notifications out, in order. */
    private final class Connection implements SocketEvents.Side, UpstreamSubscription.Listener {

        private final Address client;
        private final Map<String, Held> subscriptions = new ConcurrentHashMap<>();
        private volatile Session session;
        private volatile boolean closed;

        Connection(Address client) {
            this.client = client;
        }

        @Override
        public void opened(Session opened) {
            session = opened;
        }

        @Override
        public boolean demandsItself() {
            return true;
        }

        @Override
        public void text(String text) {
            // Off the network thread: an answer may wait for an upstream. The next frame is read once this is done.
            Thread.ofVirtual().name("rpc-socket").start(() -> {
                try {
                    handle(text.getBytes(StandardCharsets.UTF_8));
                } catch (RuntimeException e) {
                    LOG.warn("serving an rpc WebSocket frame failed", e);
                    send(Answers.error(RpcRefusal.INTERNAL, "the provider's front failed on this request; try again"));
                } finally {
                    session.demand();
                }
            });
        }

        @Override
        public void binary(ByteBuffer payload) {
            send(Answers.error(RpcRefusal.INVALID_REQUEST, "send JSON-RPC requests as text frames"));
        }

        /** Ends the connection's subscriptions; only then does the close complete, so a client may count on it. */
        @Override
        public void closed(int statusCode, String reason) {
            closed = true;
            for (String id : List.copyOf(subscriptions.keySet())) {
                end(id);
            }
        }

        private void handle(byte[] frame) {
            RpcRequest request;
            try {
                request = RpcRequest.read(frame);
            } catch (RpcRefused refused) {
                send(Answers.error(refused.refusal(), refused.getMessage()));
                return;
            }
            if (!request.batch() && request.elements().getFirst() instanceof RpcRequest.Call(RpcCall call)) {
                switch (call.method()) {
                    case SUBSCRIBE -> {
                        subscribe(call);
                        return;
                    }
                    case UNSUBSCRIBE -> {
                        unsubscribe(call);
                        return;
                    }
                    default -> {
                    }
                }
            }
            reply(front.answer(client, request));
        }

        /**
         * An answer as the HTTP path made it: in an envelope if it was charged, else bare. Calls without an id have no
         * answer (a 204 on HTTP), but they were served and charged: the entry learns the charge from an envelope
         * holding no message ({@link Sockets#NO_MESSAGE}), which it meters and keeps from the program.
         */
        private void reply(HttpReply reply) {
            Map<String, String> headers = reply.headers();
            long cost = headers.containsKey(RpcFront.COST_HEADER) ? Long.parseLong(headers.get(RpcFront.COST_HEADER))
                    : 0;
            if (cost == 0) {
                if (reply.body().length > 0) {
                    send(reply.body());
                }
                return;
            }
            Amount price = Amount.of(new BigInteger(headers.get(RpcFront.PRICE_HEADER)));
            byte[] message = reply.body().length == 0 ? Sockets.NO_MESSAGE : reply.body();
            synchronized (this) {
                sendText(Sockets.envelope(message, cost, price, headers.get(RpcFront.BUFFER_HEADER)));
            }
        }

        private void subscribe(RpcCall call) {
            JsonNode kind = call.params().path(0);
            if (!kind.isString() || costs.notification(kind.stringValue()).isEmpty()) {
                answerError(call, RpcRefusal.INVALID_PARAMS, "subscribe with [\"newHeads\"] or [\"logs\", filter]"
                        + (kind.isString() ? "; this provider does not serve " + kind.stringValue() + " subscriptions"
                        : ""));
                return;
            }
            if (!reserveSubscription(client)) {
                answerError(call, RpcRefusal.TOO_MANY_SUBSCRIPTIONS, "you hold " + sockets.maxSubscriptions()
                        + " subscriptions with this provider, the most it keeps; eth_unsubscribe one first");
                return;
            }
            byte[] raw = call.raw();
            byte[] params = JsonSlices.member(raw, JsonSlices.root(raw), "params").orElseThrow().of(raw);
            String id = "0x" + HexFormat.of().formatHex(randomId());
            UpstreamSubscription upstream = new UpstreamSubscription(id, kind.stringValue(), params,
                    upstreams::sockets, limits.upstreamTimeout(), limits.maxResponseBytes(), sockets.idleTimeout(),
                    this);
            Held holding = new Held(upstream);
            subscriptions.put(id, holding);
            UpstreamSubscription.Outcome outcome = closed ? new UpstreamSubscription.Unavailable("closed")
                    : upstream.subscribe();
            switch (outcome) {
                case UpstreamSubscription.Made made -> {
                    synchronized (this) {
                        sendText(new String(Answers.result(call.answerId(), ("\"" + id + "\"")
                                .getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8));
                        holding.answered = true;
                        holding.early.forEach(Runnable::run);
                        holding.early.clear();
                    }
                    if (closed) {
                        end(id);
                    }
                }
                case UpstreamSubscription.Refused(byte[] answer) -> {
                    forget(id);
                    send(JsonSlices.withMember(answer, "id", call.answerId()));
                }
                case UpstreamSubscription.Unavailable(String problem) -> {
                    forget(id);
                    answerError(call, RpcRefusal.UPSTREAM_UNAVAILABLE, "the provider's node did not take the "
                            + "subscription (" + problem + "); try again shortly");
                }
            }
        }

        private void unsubscribe(RpcCall call) {
            JsonNode id = call.params().path(0);
            if (!id.isString() || !subscriptions.containsKey(id.stringValue())) {
                answerError(call, RpcRefusal.UNKNOWN_SUBSCRIPTION, "this connection holds no subscription "
                        + (id.isString() ? id.stringValue() : "of that id") + "; unsubscribe with [\"0x…id\"]");
                return;
            }
            end(id.stringValue());
            send(Answers.result(call.answerId(), "true".getBytes(StandardCharsets.US_ASCII)));
        }

        /** The subscription is over: upstream, and in the client's count. */
        private void end(String id) {
            Held holding = forget(id);
            if (holding != null) {
                holding.upstream.close();
            }
        }

        private Held forget(String id) {
            Held holding = subscriptions.remove(id);
            if (holding != null) {
                releaseSubscription(client);
            }
            return holding;
        }

        @Override
        public synchronized void notification(UpstreamSubscription subscription, byte[] message, JsonNode result) {
            Held holding = subscriptions.get(subscription.id());
            if (holding == null || closed) {
                return;
            }
            if (!holding.answered) {
                holding.early.add(() -> charge(holding, message, result));
                return;
            }
            charge(holding, message, result);
        }

        /** Sends the notification if the client's buffer holds its cost, charged; otherwise drops it. */
        private void charge(Held holding, byte[] message, JsonNode result) {
            String kind = holding.upstream.kind();
            long cost = Pricing.notificationCost(costs.notification(kind).orElseThrow(), kind, result);
            Optional<RpcFront.Charge> charge = front.chargeNotification(client, cost);
            if (charge.isEmpty()) {
                dropped.increment();
                front.notificationDropped(client);
                if (!holding.toldOfDrops) {
                    holding.toldOfDrops = true;
                    sendText(notice(DROPPED, holding.upstream.id(), RpcRefusal.NOTIFICATIONS_DROPPED,
                            "your buffer with this provider did not hold the cost of a notification (" + cost
                                    + " units): it and the next ones are dropped, unpaid, until it refills"));
                }
                return;
            }
            holding.toldOfDrops = false;
            RpcFront.Charge made = charge.get();
            sendText(made.units() > 0 ? Sockets.envelope(message, made.units(), made.price(), made.buffer())
                    : new String(message, StandardCharsets.UTF_8));
        }

        /** Tells the client which heads it missed while the subscription was made again; not charged. */
        @Override
        public synchronized void missed(UpstreamSubscription subscription, long fromBlock, long toBlock) {
            if (subscriptions.containsKey(subscription.id()) && !closed) {
                ObjectNode notice = JSON.createObjectNode();
                notice.put("jsonrpc", "2.0");
                notice.put("method", MISSED);
                notice.putObject("params").put("subscription", subscription.id())
                        .put("fromBlock", "0x" + Long.toHexString(fromBlock))
                        .put("toBlock", "0x" + Long.toHexString(toBlock));
                sendText(JSON.writeValueAsString(notice));
            }
        }

        @Override
        public synchronized void ended(UpstreamSubscription subscription, String problem) {
            if (forget(subscription.id()) != null) {
                sendText(notice(ENDED, subscription.id(), RpcRefusal.UPSTREAM_UNAVAILABLE, "the provider's node "
                        + "dropped the subscription and none took it again (" + problem + "); subscribe again"));
            }
        }

        private void answerError(RpcCall call, RpcRefusal refusal, String message) {
            send(Answers.error(call.answerId(), refusal, message));
        }

        private synchronized void send(byte[] message) {
            sendText(new String(message, StandardCharsets.UTF_8));
        }

        /** Called with this connection locked, so that what is sent goes in the order it was decided. */
        private void sendText(String text) {
            Session open = session;
            if (open != null && open.isOpen()) {
                open.sendText(text, Callback.NOOP);
            }
        }
    }

    /** {@code {"jsonrpc":"2.0","method":METHOD,"params":{"subscription":ID,"error":{…}}}}: the front's own notice. */
    private static String notice(String method, String subscription, RpcRefusal refusal, String message) {
        ObjectNode notice = JSON.createObjectNode();
        notice.put("jsonrpc", "2.0");
        notice.put("method", method);
        ObjectNode params = notice.putObject("params");
        params.put("subscription", subscription);
        params.set("error", Answers.errorObject(refusal, message));
        return JSON.writeValueAsString(notice);
    }

    private static byte[] randomId() {
        byte[] id = new byte[16];
        IDS.nextBytes(id);
        return id;
    }
}
