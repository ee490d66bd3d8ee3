package io.turnpike.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.service.Standing;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The provider's JSON-RPC front (DESIGN §6 {@code rpc}, the LES model): HTTP POST, JSON-RPC 2.0, single calls and
 * batches, before the operator's own nodes ({@link Upstreams}, with fail-over). A client logs in with HTTP Basic —
 * its address and the session token the node issued it — and each request is priced by the {@link CostTable},
 * admitted only if the client's buffer holds its maximum cost ({@link FlowControl}), served, and charged its real
 * cost, the rest given back, at the unit price it was admitted at ({@link PriceRule}: the price follows the load).
 * The charge goes to the {@link RpcMeter} and, as {@value #COST_HEADER} and {@value #PRICE_HEADER}, to the client,
 * whose entry meters exactly that. Answers are the upstream's bytes with only the {@code id} put back; the front
 * never makes up or caches a result. What it refuses itself is a JSON-RPC error with a stable code
 * ({@link RpcRefusal}), and is not charged. The same port takes WebSocket JSON-RPC and {@code eth_subscribe}
 * ({@link FrontSockets}), each notification charged as an answer is.
 */
public final class RpcFront implements AutoCloseable {

    /** The cost units a request was charged, on every answer the front served or tried to. */
    public static final String COST_HEADER = "Turnpike-Cost";
    /** The price per cost unit a request was admitted at, in the asset's smallest unit, beside its cost. */
    public static final String PRICE_HEADER = "Turnpike-Price";
    /**
     * The client's buffer after its request, {@code units/limit/rate} (units in it, the most it holds, its refill per
     * second), from which the client's entry keeps its own estimate and waits rather than overrun.
     */
    public static final String BUFFER_HEADER = "Turnpike-Buffer";
    private static final Logger LOG = LoggerFactory.getLogger(RpcFront.class);
    /** Connections the front takes from one address: an entry's pool holds at most this many to it. */
    static final int CONNECTIONS_PER_CLIENT = 64;

    private final RpcLimits limits;
    private final RpcSessions sessions;
    private final RpcMeter meter;
    private final Pricing pricing;
    private final Upstreams upstreams;
    private final FlowControl flow;
    private final UnitPrice price;
    private volatile Consumer<Amount> priceMoved = moved -> {
    };
    /** Notifications dropped for each client, until it is forgotten. */
    private final Map<Address, LongAdder> droppedFor = new ConcurrentHashMap<>();
    private volatile Consumer<Address> dropped = client -> {
    };
    private final FrontSockets sockets;
    private final JsonHttpServer http;

    private RpcFront(FrontSettings settings, RpcSessions sessions, RpcMeter meter, LongSupplier ticker,
                     InetSocketAddress address) throws IOException {
        this.limits = settings.limits();
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.pricing = new Pricing(settings.costs(), settings.limits());
        this.upstreams = new Upstreams(settings.upstreams(), settings.limits(), ticker);
        this.flow = new FlowControl(settings.capacity(), ticker);
        this.price = new UnitPrice(settings.price(), settings.capacity().total(), ticker);
        this.sockets = new FrontSockets(this, settings.costs(), limits, settings.sockets(), upstreams);
        this.http = JsonHttpServer.start(address, new JsonHttpServer.Surface("rpc front", httpLimits(limits),
                FatalErrors::exitProcess, Answers::serverRefusal), this::handle, sockets);
    }

    /**
     * Listens on {@code address} (port 0: one the system picks).
     *
     * @param ticker the clock flow control runs on, in nanoseconds ({@link System#nanoTime} but in tests)
     * @throws java.net.BindException if the port is taken or the address is not this machine's
     */
    public static RpcFront start(InetSocketAddress address, FrontSettings settings, RpcSessions sessions,
                                 RpcMeter meter, LongSupplier ticker) throws IOException {
        return new RpcFront(settings, sessions, meter, ticker, address);
    }

    public int port() {
        return http.address().getPort();
    }

    /** The client's standing, as the node decides it: a free client is served from the spare capacity only. */
    public void standing(Address client, Standing standing) {
        flow.standing(client, standing);
    }

    /**
     * How long the client's prepaid balance (what its channel still covers) pays for a seat at the paid capacity: its
     * priority when seats run out.
     */
    public void prepaid(Address client, Duration covered) {
        flow.prepaid(client, covered);
    }

    /** The node forgot the client: whatever the front keeps for it is dropped. */
    public void forget(Address client) {
        flow.forget(client);
        droppedFor.remove(client);
    }

    /**
     * The price per cost unit now, which a request admitted now pays. Reading it may move it (one step per interval
     * gone by since it last moved), which is then announced.
     */
    public Amount price() {
        UnitPrice.Reading reading = price.read();
        reading.moved().ifPresent(priceMoved);
        return reading.price();
    }

    /** Whom to tell the new price when it moves, to announce it to clients. */
    public void onPriceMoved(Consumer<Amount> listener) {
        this.priceMoved = Objects.requireNonNull(listener, "listener");
    }

    /** Whom to tell of each notification dropped, unsent and unpaid, for the client's empty buffer. */
    public void onNotificationDropped(Consumer<Address> listener) {
        this.dropped = Objects.requireNonNull(listener, "listener");
    }

    /**
     * One client as the front serves it now: {@code paid} if at a paid seat's capacity, else free (from the spare);
     * its capacity in units per second, its buffer — the units in it and the most it holds — and the subscription
     * notifications dropped for it because its buffer did not hold them.
     */
    public record ClientCapacity(Address client, boolean paid, long capacity, long buffer, long bufferLimit,
                                 long notificationsDropped) {
    }

    /** Every client the front has served since it started (and not forgotten), by address. */
    public List<ClientCapacity> clients() {
        return flow.clients().entrySet().stream().map(e -> new ClientCapacity(e.getKey(), e.getValue().paid(),
                e.getValue().buffer().ratePerSecond(), e.getValue().buffer().units(),
                e.getValue().buffer().limit(), notificationsDropped(e.getKey()))).toList();
    }

    /** Notifications dropped for {@code client}'s empty buffer since it was last forgotten. */
    public long notificationsDropped(Address client) {
        LongAdder count = droppedFor.get(client);
        return count == null ? 0 : count.sum();
    }

    /** The capacity, in units per second, each prepaid balance (as the time it pays for a seat) would get now. */
    public List<Long> quote(List<Duration> covered) {
        return flow.quote(covered);
    }

    @Override
    public void close() {
        http.close();
        upstreams.close();
    }

    /**
     * The shared defaults but for the body, which is {@link RpcLimits#maxBodyBytes()}, and connections: a client's
     * entry opens one per request it has in flight, and each mostly waits for an upstream on a virtual thread, so the
     * front admits more of them than the node's API, and more from one address.
     */
    private static HttpLimits httpLimits(RpcLimits limits) {
        return HttpLimits.defaults().withMaxBodyBytes(limits.maxBodyBytes())
                .withConnections(1024, CONNECTIONS_PER_CLIENT);
    }

    private HttpReply handle(HttpCall request) throws HttpRefusal {
        if (!"POST".equals(request.method())) {
            return Answers.refusal(RpcRefusal.NOT_POST, "send JSON-RPC 2.0 requests with POST");
        }
        Optional<Address> client = request.basicCredentials().flatMap(this::authenticated);
        if (client.isEmpty()) {
            return Answers.refusal(RpcRefusal.UNAUTHENTICATED, "log in with HTTP Basic: your node's address and the "
                    + "session token this provider issued it (session.request {service: rpc})")
                    .withHeader("WWW-Authenticate", "Basic realm=\"turnpike rpc\"");
        }
        byte[] body = request.body();
        try {
            return answer(client.get(), RpcRequest.read(body));
        } catch (RpcRefused refused) {
            return Answers.refusal(refused.refusal(), refused.getMessage());
        }
    }

    /**
     * One request of a logged-in client, over HTTP or a WebSocket ({@link FrontSockets}): priced, admitted, served and
     * charged; the cost and price are in the reply's {@value #COST_HEADER} and {@value #PRICE_HEADER}.
     */
    HttpReply answer(Address client, RpcRequest calls) {
        try {
            if (calls.elements().size() > limits.maxBatch()) {
                throw new RpcRefused(RpcRefusal.BATCH_TOO_LARGE, "a batch of " + calls.elements().size()
                        + " calls; this provider takes at most " + limits.maxBatch()
                        + ": send them in smaller batches");
            }
            return serve(client, calls);
        } catch (RpcRefused refused) {
            return Answers.refusal(refused.refusal(), refused.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("serving an rpc request failed", e);
            return Answers.refusal(RpcRefusal.INTERNAL, "the provider's front failed on this request; try again");
        }
    }

    /** A notification charged: its units at the price of the moment, and the client's buffer after it. */
    record Charge(long units, Amount price, String buffer) {
    }

    /**
     * Charges a subscription's notification {@code cost} units if the client's buffer holds them now, at the price
     * of now, reported to the meter as an answer's charge is; empty, and nothing charged, if it does not.
     */
    Optional<Charge> chargeNotification(Address client, long cost) {
        Amount unitPrice = price();
        if (!(flow.admit(client, cost) instanceof FlowControl.Admitted admitted)) {
            return Optional.empty();
        }
        flow.settle(admitted, cost);
        price.served(cost);
        if (cost > 0) {
            meter.charged(client, cost, unitPrice);
        }
        return Optional.of(new Charge(cost, unitPrice, flow.buffer(client).header()));
    }

    /** Subscription notifications dropped, unsent and unpaid, because the client's buffer did not hold them. */
    public long notificationsDropped() {
        return sockets.dropped();
    }

    /** A notification for {@code client} was dropped: counted, and told. */
    void notificationDropped(Address client) {
        droppedFor.computeIfAbsent(client, c -> new LongAdder()).increment();
        dropped.accept(client);
    }

    /** The client HTTP Basic credentials prove: its address and a live session token, while it is served. */
    Optional<Address> authenticated(HttpCall.BasicCredentials credentials) {
        Address client;
        try {
            client = Address.of(credentials.user());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean valid = sessions.isValid(client, credentials.password()) && flow.standing(client) != Standing.NONE;
        return valid ? Optional.of(client) : Optional.empty();
    }

    /** Prices every call, admits their maximum together, forwards what was admitted, and charges what it cost. */
    private HttpReply serve(Address client, RpcRequest request) {
        List<RpcRequest.Element> elements = request.elements();
        byte[][] answers = new byte[elements.size()][];
        List<Pricing.Priced> priced = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Supplier<OptionalLong> head = once(upstreams::head);
        for (int i = 0; i < elements.size(); i++) {
            switch (elements.get(i)) {
                case RpcRequest.NotACall(byte[] id, String problem) -> answers[i] = Answers.error(id,
                        RpcRefusal.INVALID_REQUEST, problem);
                case RpcRequest.Call(RpcCall call) -> {
                    try {
                        priced.add(pricing.price(call, head));
                        positions.add(i);
                    } catch (RpcRefused refused) {
                        answers[i] = call.isNotification() ? null
                                : Answers.error(call.answerId(), refused.refusal(), refused.getMessage());
                    }
                }
            }
        }
        Amount unitPrice = price();
        if (priced.isEmpty()) {
            return reply(request, answers, 0, unitPrice);
        }
        long maxCost = priced.stream().mapToLong(Pricing.Priced::maxCost).reduce(0, RpcFront::saturatingAdd);
        // A refusal of the whole request answers its one call by that call's id; a batch's, with id null.
        byte[] id = request.batch() ? Answers.NULL : priced.getFirst().call().answerId();
        return switch (flow.admit(client, maxCost)) {
            case FlowControl.Wait(long retryAfterNanos) -> {
                long seconds = Math.max(1, Math.ceilDiv(retryAfterNanos, 1_000_000_000L));
                yield Answers.reply(RpcRefusal.OVER_CAPACITY.httpStatus(), Answers.error(id,
                        RpcRefusal.OVER_CAPACITY, "over your capacity with this provider: retry after " + seconds
                                + " s, or spread your requests out"), Map.of("Retry-After", Long.toString(seconds),
                        BUFFER_HEADER, flow.buffer(client).header()));
            }
            case FlowControl.TooCostly(long bufferLimit) -> Answers.reply(RpcRefusal.EXCEEDS_BUFFER.httpStatus(),
                    Answers.error(id, RpcRefusal.EXCEEDS_BUFFER, "this request may cost " + maxCost + " units, more "
                            + "than the " + bufferLimit + " your buffer holds; ask for less at once (a shorter block "
                            + "range, a smaller batch)"), Map.of());
            case FlowControl.Admitted admitted -> {
                long realCost = 0;
                try {
                    realCost = forward(request.batch(), priced, positions, answers);
                } finally {
                    flow.settle(admitted, realCost);
                    price.served(realCost);
                }
                if (realCost > 0) {
                    meter.charged(client, realCost, unitPrice);
                }
                yield reply(request, answers, realCost, unitPrice).withHeader(BUFFER_HEADER,
                        flow.buffer(client).header());
            }
        };
    }

    /** Sends the priced calls upstream and fills in their answers; returns what they cost. */
    private long forward(boolean batch, List<Pricing.Priced> priced, List<Integer> positions, byte[][] answers) {
        List<byte[]> numbered = new ArrayList<>();
        for (int j = 0; j < priced.size(); j++) {
            numbered.add(priced.get(j).call().numbered(j));
        }
        Upstreams.Outcome outcome = upstreams.send(batch ? Answers.array(numbered) : numbered.getFirst());
        long cost = 0;
        if (outcome instanceof Upstreams.Failed failed) {
            for (int j = 0; j < priced.size(); j++) {
                RpcCall call = priced.get(j).call();
                answers[positions.get(j)] = call.isNotification() ? null
                        : Answers.error(call.answerId(), failed.refusal(), failed.message());
                cost += failed.worked() ? priced.get(j).cost().base() : 0;
            }
            return cost;
        }
        byte[] body = ((Upstreams.Answered) outcome).body();
        Map<Integer, UpstreamAnswer> byNumber = answersByNumber(body, batch, priced.size());
        for (int j = 0; j < priced.size(); j++) {
            RpcCall call = priced.get(j).call();
            UpstreamAnswer answer = byNumber.get(j);
            if (answer == null) {
                answers[positions.get(j)] = call.isNotification() ? null : Answers.error(call.answerId(),
                        RpcRefusal.UPSTREAM_BAD_ANSWER, "the provider's node gave no answer to this call; try again");
                continue;
            }
            cost += Pricing.realCost(priced.get(j), answer.tree());
            answers[positions.get(j)] = call.isNotification() ? null
                    : JsonSlices.withMember(answer.range().of(body), "id", call.answerId());
        }
        return cost;
    }

    /** One answer in the upstream's body: where it is, and what it says. */
    private record UpstreamAnswer(JsonSlices.Range range, JsonNode tree) {
    }

    /**
     * The upstream's answers by the numbers the front gave the calls; a body that is not JSON, or an element without
     * such a number, leaves calls unanswered. A single call's answer is taken whatever its id.
     */
    private static Map<Integer, UpstreamAnswer> answersByNumber(byte[] body, boolean batch, int calls) {
        Map<Integer, UpstreamAnswer> byNumber = new HashMap<>();
        JsonNode root;
        try {
            root = RpcRequest.JSON.readTree(body);
        } catch (JacksonException e) {
            LOG.warn("an upstream answered with something that is not JSON: {}", e.getOriginalMessage());
            return byNumber;
        }
        if (root == null || root.isMissingNode()) {
            return byNumber; // an empty body
        }
        JsonSlices.Range whole = JsonSlices.root(body);
        if (!batch) {
            if (root.isObject()) {
                byNumber.put(0, new UpstreamAnswer(whole, root));
            }
            return byNumber;
        }
        if (!root.isArray()) {
            return byNumber;
        }
        List<JsonSlices.Range> slices = JsonSlices.elements(body, whole);
        for (int k = 0; k < root.size(); k++) {
            JsonNode answer = root.get(k);
            JsonNode id = answer.path("id");
            if (answer.isObject() && id.isIntegralNumber() && id.canConvertToInt() && id.intValue() >= 0
                    && id.intValue() < calls) {
                byNumber.putIfAbsent(id.intValue(), new UpstreamAnswer(slices.get(k), answer));
            }
        }
        return byNumber;
    }

    /** The answers in the request's order, notifications left out; {@code 204} if nothing is left. */
    private static HttpReply reply(RpcRequest request, byte[][] answers, long cost, Amount unitPrice) {
        List<byte[]> sent = Arrays.stream(answers).filter(Objects::nonNull).toList();
        Map<String, String> headers = Map.of(COST_HEADER, Long.toString(cost), PRICE_HEADER, unitPrice.toString());
        if (sent.isEmpty()) {
            return Answers.reply(204, new byte[0], headers);
        }
        return Answers.reply(200, request.batch() ? Answers.array(sent) : sent.getFirst(), headers);
    }

    private static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    /** {@code supplier} asked at most once, when first needed. */
    private static <T> Supplier<T> once(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
