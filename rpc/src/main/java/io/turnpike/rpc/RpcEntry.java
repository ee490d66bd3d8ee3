package io.turnpike.rpc;

import io.turnpike.core.Amount;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The buying node's JSON-RPC endpoint on loopback: any program on this machine — a wallet, {@code cast}, ethers,
 * curl — posts JSON-RPC to it without credentials, and each request goes, as sent, to the provider's {@link RpcFront}
 * with the session current at that moment. What the front charged ({@value RpcFront#COST_HEADER}, at
 * {@value RpcFront#PRICE_HEADER}) is reported to the {@link RpcMeter}, so the node pays exactly that. The entry keeps
 * its own estimate of its buffer at the front ({@link BufferEstimate}) and holds a request back until it fits, rather
 * than overrun; a {@code 429} it did not foresee is waited out once, when the front's {@code Retry-After} is short,
 * rather than failing the program. A program may also open a WebSocket on the same port ({@link EntrySockets}):
 * calls and {@code eth_subscribe} go to the front's WebSocket, and what it charges is metered the same way.
 */
public final class RpcEntry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcEntry.class);
    /**
     * The shared defaults but for the body (a program's request: the front has its own, lower, limit and says so)
     * and connections: every program on this machine comes from the same loopback address, so one limit is both.
     */
    private static final HttpLimits HTTP_LIMITS = HttpLimits.defaults().withMaxBodyBytes(16 * 1024 * 1024)
            .withConnections(256, 256);
    private static final int MAX_ANSWER_BYTES = 64 * 1024 * 1024;
    /** Generous: the front may try several upstreams, each within its own timeout. */
    private static final Duration FRONT_TIMEOUT = Duration.ofSeconds(60);
    /** The longest {@code Retry-After} waited out; a longer one is passed on to the program. */
    private static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(5);
    /** The front's answer headers a program may use, passed on as they came. */
    private static final List<String> PASSED_ON = List.of(RpcFront.COST_HEADER, RpcFront.PRICE_HEADER,
            RpcFront.BUFFER_HEADER, "Retry-After");

    private final Supplier<Optional<RpcRoute>> routes;
    private final RpcMeter meter;
    private final BufferEstimate.Pause pause;
    private final BufferEstimate estimate;
    /** Kept within what the front takes from one address; requests past it wait for a connection of the pool. */
    private final Outgoing http = new Outgoing("rpc-entry", Duration.ofSeconds(10), RpcFront.CONNECTIONS_PER_CLIENT);
    private final JsonHttpServer surface;

    private RpcEntry(InetSocketAddress listen, Supplier<Optional<RpcRoute>> routes, RpcMeter meter,
                     BufferEstimate.Pause pause, LongSupplier ticker) throws IOException {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.meter = Objects.requireNonNull(meter, "meter");
        this.pause = pause;
        this.estimate = new BufferEstimate(ticker, pause, MAX_RETRY_WAIT);
        this.surface = JsonHttpServer.start(listen, new JsonHttpServer.Surface("rpc entry", HTTP_LIMITS,
                FatalErrors::exitProcess, Answers::serverRefusal), this::handle,
                new EntrySockets(routes, meter, estimate));
    }

    /**
     * Listens on {@code listen}, which must be a loopback address: no other machine may spend this node's money.
     *
     * @param routes the provider's front and the session to use now, or empty while there is none
     * @param meter told the cost units each provider charged
     * @throws IllegalArgumentException if {@code listen} is not a loopback address
     * @throws java.net.BindException if the port is taken
     */
    public static RpcEntry start(InetSocketAddress listen, Supplier<Optional<RpcRoute>> routes, RpcMeter meter)
            throws IOException {
        return start(listen, routes, meter, Thread::sleep, System::nanoTime);
    }

    /** @param ticker the clock the entry's estimate of its buffer runs on, in nanoseconds */
    static RpcEntry start(InetSocketAddress listen, Supplier<Optional<RpcRoute>> routes, RpcMeter meter,
                          BufferEstimate.Pause pause, LongSupplier ticker) throws IOException {
        if (listen.getAddress() == null || !listen.getAddress().isLoopbackAddress()) {
            throw new IllegalArgumentException("the rpc entry listens on loopback only, not " + listen
                    + ": anyone who reaches it spends this node's money");
        }
        return new RpcEntry(listen, routes, meter, pause, ticker);
    }

    public int port() {
        return surface.address().getPort();
    }

    @Override
    public void close() {
        surface.close();
        http.close();
    }

    private HttpReply handle(HttpCall request) throws HttpRefusal {
        if (!"POST".equals(request.method())) {
            return Answers.refusal(RpcRefusal.NOT_POST, "send JSON-RPC 2.0 requests with POST");
        }
        byte[] body = request.body();
        try {
            RpcRoute route = route();
            Outgoing.Answer answer = forward(route, body, estimate.awaitRoom(body, route.costs()).units());
            if (answer.status() == 429) {
                OptionalLong wait = retryAfter(answer);
                if (wait.isPresent() && wait.getAsLong() <= MAX_RETRY_WAIT.toSeconds()) {
                    pause.sleep(Duration.ofSeconds(wait.getAsLong()));
                    answer = forward(route(), body, 0);
                }
            }
            return Answers.reply(answer.status(), answer.body(), answer.headers());
        } catch (NoSession e) {
            return Answers.refusal(RpcRefusal.NO_SESSION, "this node has no rpc session with its provider now "
                    + "(connecting, opening a channel, or the provider does not sell rpc); try again in a few seconds, "
                    + "and if it lasts, see `turnpike peers` and the node's log");
        } catch (IOException e) {
            LOG.info("the provider's rpc front did not answer: {}", e.toString());
            return Answers.refusal(RpcRefusal.PROVIDER_UNREACHABLE, "the provider's rpc front did not answer ("
                    + e.getMessage() + "); try again, or check the provider with `turnpike peers`");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answers.refusal(RpcRefusal.PROVIDER_UNREACHABLE, "the node is stopping");
        }
    }

    private RpcRoute route() throws NoSession {
        return routes.get().orElseThrow(NoSession::new);
    }

    /**
     * Sends the program's request to the provider on {@code route}, meters what it charged, and settles
     * the {@code reserved} units of the entry's estimate against it and the front's figure. The answer keeps the
     * headers a program may use: the cost, its price, the buffer, and when to retry.
     */
    private Outgoing.Answer forward(RpcRoute route, byte[] body, long reserved)
            throws IOException, InterruptedException {
        Outgoing.Answer answer;
        try {
            answer = http.post(route.front(), body, Map.of("Authorization", route.authorization()), PASSED_ON,
                    MAX_ANSWER_BYTES, FRONT_TIMEOUT);
        } catch (IOException | InterruptedException | RuntimeException notSent) {
            estimate.settle(reserved, 0);
            throw notSent;
        }
        Optional<String> units = answer.header(RpcFront.COST_HEADER);
        estimate.settle(reserved, units.map(RpcEntry::unitsOrZero).orElse(0L));
        answer.header(RpcFront.BUFFER_HEADER).ifPresent(estimate::reported);
        if (units.isPresent()) {
            Optional<String> price = answer.header(RpcFront.PRICE_HEADER);
            try {
                long charged = Long.parseLong(units.get());
                if (charged > 0) {
                    meter.charged(route.provider(), charged, Amount.of(new BigInteger(price.orElseThrow(
                            () -> new NumberFormatException("no price")))));
                }
            } catch (IllegalArgumentException notAFigure) {
                // Not metered: the provider's next statement claims what it charged, and the payment policy weighs it.
                LOG.warn("the provider's front sent {} = {} at {} = {}, which is not a number of units at a price",
                        RpcFront.COST_HEADER, units.get(), RpcFront.PRICE_HEADER, price.orElse("(none)"));
            }
        }
        return answer;
    }

    private static long unitsOrZero(String units) {
        try {
            return Long.parseLong(units);
        } catch (NumberFormatException notAFigure) {
            return 0;
        }
    }

    private static OptionalLong retryAfter(Outgoing.Answer answer) {
        try {
            return answer.header("Retry-After").map(value -> OptionalLong.of(Long.parseLong(value.strip())))
                    .orElse(OptionalLong.empty());
        } catch (NumberFormatException dateNotSeconds) {
            return OptionalLong.empty();
        }
    }

    /** No route to a provider now. */
    private static final class NoSession extends Exception {
        NoSession() {
            super(null, null, false, false);
        }
    }
}
