package io.turnpike.node.api;

import static io.turnpike.http.HttpReply.json;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.metrics.MicrometerMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API (docs/api.md) and dashboard, driving a {@link NodeControl}, on a {@link JsonHttpServer} within
 * its {@link HttpLimits}. It listens on loopback unless the operator allows otherwise, and every request but the
 * dashboard's static files must carry the data directory's token; a request without it is not read further. Input is
 * checked before the node is asked to do anything, so a malformed request changes nothing.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Channel ids start at 1: 0 is no channel, refused as a bad id rather than looked up. */
    private static final Pattern CHANNEL_ID = Pattern.compile("[1-9][0-9]{0,17}");
    private static final Map<String, StaticFile> DASHBOARD = Map.of(
            "/", StaticFile.load("index.html", "text/html; charset=utf-8"),
            "/dashboard.js", StaticFile.load("dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard.css", StaticFile.load("dashboard.css", "text/css; charset=utf-8"),
            "/market.js", StaticFile.load("market.js", "text/javascript; charset=utf-8"));

    private final NodeControl control;
    private final ApiToken token;
    private final List<Route> routes;
    private final JsonHttpServer server;

    private ApiServer(NodeControl control, ApiToken token, InetSocketAddress address, JsonHttpServer.Surface surface)
            throws IOException {
        this.control = control;
        this.token = token;
        this.routes = List.of(
                new Route("/api/status", Map.of("GET", (path, body) -> json(200, ApiJson.status(control.status())))),
                new Route("/api/peers", Map.of("GET",
                        (path, body) -> json(200, ApiJson.peers(control.peers(), control.status().asset())))),
                new Route("/api/channels", Map.of(
                        "GET", (path, body) -> json(200, ApiJson.channels(control.channels(), control.status().asset())),
                        "POST", (path, body) -> openChannel(body))),
                new Route("/api/channels/([^/]+)/close", Map.of("POST", this::closeChannel)),
                new Route("/api/channels/([^/]+)/deposit", Map.of("POST", (path, body) -> changeChannel(path, body,
                        "deposit", control::depositChannel))),
                new Route("/api/channels/([^/]+)/withdraw", Map.of("POST", (path, body) -> changeChannel(path, body,
                        "withdrawal", control::withdrawChannel))),
                new Route("/api/wallet", Map.of("GET", (path, body) -> json(200, ApiJson.wallet(control.wallet())))),
                new Route("/api/services", Map.of("GET",
                        (path, body) -> json(200, ApiJson.services(control.services(), control.status().asset())))),
                new Route("/api/refusals", Map.of("GET",
                        (path, body) -> json(200, ApiJson.refusals(control.refusals())))),
                new Route("/api/subscriptions", Map.of("GET",
                        (path, body) -> json(200, ApiJson.subscriptions(control.subscriptions())),
                        "POST", (path, body) -> subscribe(body))),
                new Route("/api/earnings", Map.of("GET", (path, body) ->
                        json(200, ApiJson.earnings(control.earnings(), control.status().asset())))),
                new Route("/api/towers", Map.of("GET", (path, body) -> json(200, ApiJson.towers(control.towers())))),
                new Route("/api/fees", Map.of("GET", (path, body) -> json(200, ApiJson.fees(control.fees())))),
                new Route("/api/transactions", Map.of("GET",
                        (path, body) -> json(200, ApiJson.transactions(control.transactions())))),
                new Route("/api/providers", Map.of("GET",
                        (path, body) -> json(200, ApiJson.providers(control.providers(), control.status().asset())))),
                new Route("/api/services/([^/]+)/provider", Map.of("PUT", this::pinProvider)),
                new Route("/api/pay/([^/]+)", Map.of(
                        "GET", (path, body) -> json(200, ApiJson.preview(control.previewPayment(peer(path)))),
                        "POST", this::pay)),
                new Route("/api/http", Map.of("POST", (path, body) -> fetchPaying(body))),
                new Route("/metrics", Map.of("GET", (path, body) -> metrics())));
        // Last, once everything a request reads is set.
        this.server = JsonHttpServer.start(address, surface, this::answer);
    }

    /**
     * Starts listening on {@code api}.
     *
     * @param allowRemote whether the operator allowed an address other machines can reach (turnpike.api.allow-remote)
     * @throws TurnpikeException {@link ErrorCode#CONFIG_INVALID} for a bind address that is not loopback when
     *     that is not allowed, one this machine does not have, or a port that is taken
     */
    public static ApiServer start(NodeControl control, NodeConfig.Endpoint api, boolean allowRemote, ApiToken token) {
        return start(control, api, allowRemote, token, HttpLimits.defaults(), FatalErrors::exitProcess);
    }

    /**
     * Starts listening on {@code api} within {@code limits}.
     *
     * @param onFatalError called once when the transport meets an error the JVM may not survive
     * @see #start(NodeControl, NodeConfig.Endpoint, boolean, ApiToken)
     */
    public static ApiServer start(NodeControl control, NodeConfig.Endpoint api, boolean allowRemote, ApiToken token,
                                  HttpLimits limits, Consumer<Throwable> onFatalError) {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(token, "token");
        InetAddress address = bindAddress(api.bind());
        if (!address.isLoopbackAddress()) {
            if (!allowRemote) {
                throw new TurnpikeException(ErrorCode.CONFIG_INVALID, "turnpike.api.bind is " + api.bind()
                        + ", which other machines can reach, and the API moves money; the node did not start it. Keep "
                        + "it on 127.0.0.1 (from elsewhere, use an SSH tunnel), or set turnpike.api.allow-remote = "
                        + "true if it must listen there.");
            }
            LOG.warn("The HTTP API listens on {}, which other machines can reach (turnpike.api.allow-remote = true). "
                    + "Whoever obtains the API token can move this node's money, and plain HTTP carries it "
                    + "unencrypted; prefer 127.0.0.1 and an SSH tunnel.", api.bind());
        }
        try {
            return new ApiServer(control, token, new InetSocketAddress(address, api.port()),
                    new JsonHttpServer.Surface("HTTP API", limits, onFatalError));
        } catch (BindException e) {
            throw new TurnpikeException(ErrorCode.CONFIG_INVALID, "the HTTP API cannot listen on " + api.bind() + ":"
                    + api.port() + " (" + e.getMessage() + "). Is another node running? Stop it, or set "
                    + "turnpike.api.port to a free port.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the HTTP API on " + api.bind() + ":" + api.port(), e);
        }
    }

    /** Where it listens; the port is the one the system chose when the setting is 0. */
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }

    private static InetAddress bindAddress(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new TurnpikeException(ErrorCode.CONFIG_INVALID, "turnpike.api.bind is " + bind
                    + ", which is not an address of this machine. Set it to 127.0.0.1.", e);
        }
    }

    private HttpReply answer(HttpCall call) throws HttpRefusal {
        try {
            return respond(call);
        } catch (RuntimeException e) {
            return HttpReply.failure(e, call, LOG, "the node failed to carry out the request; its log says why.");
        }
    }

    private HttpReply respond(HttpCall call) throws HttpRefusal {
        String method = call.method();
        String path = call.path();
        StaticFile file = DASHBOARD.get(path);
        if (file != null) {
            // The page holds no secret: the operator gives it the token, and it sends it like any other client.
            return method.equals("GET") ? file.reply() : methodNotAllowed(path, method, List.of("GET"));
        }
        if (!token.admits(call.header("Authorization"))) {
            return HttpReply.error(ErrorCode.UNAUTHENTICATED, "this request needs the header 'Authorization: Bearer <token>', "
                    + "with the token in the node's <datadir>/api.token.")
                    .withHeader("WWW-Authenticate", "Bearer realm=\"turnpike\"");
        }
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(path);
            if (matcher.matches()) {
                Handler handler = route.methods().get(method);
                return handler == null ? methodNotAllowed(path, method, route.methods().keySet())
                        : handler.handle(matcher, call.body());
            }
        }
        throw new ControlException(ErrorCode.NOT_FOUND, "there is no " + path + " in the API; docs/api.md lists what there is.");
    }

    private static HttpReply methodNotAllowed(String path, String method, Collection<String> methods) {
        String allowed = String.join(", ", methods.stream().sorted().toList());
        return HttpReply.error(ErrorCode.METHOD_NOT_ALLOWED, path + " takes " + allowed + ", not " + method + ".")
                .withHeader("Allow", allowed);
    }

    private HttpReply openChannel(byte[] body) {
        JsonObjectReader fields = fields(body, false);
        String partner = parse(() -> fields.string("partner"));
        String deposit = parse(() -> fields.string("deposit"));
        boolean force = parse(() -> fields.optionalBool("force").orElse(false));
        refuseOthers(fields);
        Address partnerAddress = address(partner);
        Asset asset = control.status().asset();
        return json(201, ApiJson.channel(control.openChannel(partnerAddress, positiveAmount("deposit", deposit, asset),
                force), asset));
    }

    private HttpReply closeChannel(Matcher path, byte[] body) {
        long id = channelId(path);
        JsonObjectReader fields = fields(body, true);
        boolean force = parse(() -> fields.optionalBool("force").orElse(false));
        refuseOthers(fields);
        Asset asset = control.status().asset();
        return json(200, ApiJson.channel(control.closeChannel(id, force), asset));
    }

    /** A deposit or withdrawal of {@code {"amount": "0.05"}} in whole units of the node's asset, exact. */
    private HttpReply changeChannel(Matcher path, byte[] body, String what,
                                    BiFunction<Long, Amount, ChannelView> change) {
        long id = channelId(path);
        JsonObjectReader fields = fields(body, false);
        String amount = parse(() -> fields.string("amount"));
        refuseOthers(fields);
        Asset asset = control.status().asset();
        return json(200, ApiJson.channel(change.apply(id, positiveAmount(what, amount, asset)), asset));
    }

    private static long channelId(Matcher path) {
        String id = path.group(1);
        if (!CHANNEL_ID.matcher(id).matches()) {
            throw new ControlException(ErrorCode.BAD_ARGUMENT, "'" + id + "' is not a channel id; ids are whole numbers "
                    + "from 1, as 'turnpike channel list' shows them.");
        }
        return Long.parseLong(id);
    }

    /**
     * Without {@code "confirm": true}, what the subscription would cost and until when, nothing paid; with it, pays and
     * answers once the chain confirmed it. The operator is asked between the two.
     */
    private HttpReply subscribe(byte[] body) {
        JsonObjectReader fields = fields(body, false);
        String provider = parse(() -> fields.string("provider"));
        long planId = parse(() -> fields.decimalLong("planId"));
        long months = parse(() -> fields.integer("months"));
        boolean confirm = parse(() -> fields.optionalBool("confirm").orElse(false));
        refuseOthers(fields);
        Address seller = address(provider);
        return confirm ? json(201, ApiJson.subscriptionPurchase(control.subscribe(seller, planId, months)))
                : json(200, ApiJson.subscriptionPurchase(control.quoteSubscription(seller, planId, months)));
    }

    private HttpReply pay(Matcher path, byte[] body) {
        Address peer = peer(path);
        // "Pay everything owed" takes no parameters; a body that sets one would be ignored, so it is refused.
        refuseOthers(fields(body, true));
        return json(200, ApiJson.payment(control.payNow(peer)));
    }

    /**
     * {@code {"provider": "0x…"}} pins the service to that provider; {@code {"provider": null}} lets the node choose
     * again. A misspelt field is refused, so an empty object can only mean the latter.
     */
    private HttpReply pinProvider(Matcher path, byte[] body) {
        JsonObjectReader fields = fields(body, false);
        Optional<String> provider = parse(() -> fields.optionalString("provider"));
        refuseOthers(fields);
        Optional<Address> pinned = provider.map(ApiServer::address);
        return json(200, ApiJson.pin(control.pinProvider(path.group(1), pinned)));
    }

    /** The node sends the request and pays its 402 within the caps; the answer's body comes back in base64. */
    private HttpReply fetchPaying(byte[] body) {
        JsonObjectReader fields = fields(body, false);
        HttpFetch fetch = parse(() -> ApiJson.readFetch(fields));
        refuseOthers(fields);
        return json(200, ApiJson.fetched(control.fetchPaying(fetch), control.status().asset()));
    }

    private HttpReply metrics() {
        return new HttpReply(200, MicrometerMetrics.CONTENT_TYPE, control.metrics().getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    private static Address peer(Matcher path) {
        return address(path.group(1));
    }

    private static Address address(String text) {
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw badAddress(e.getMessage());
        }
    }

    private static Amount positiveAmount(String what, String text, Asset asset) {
        Amount amount;
        try {
            amount = Amount.parse(text, asset.decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw badAmount(what, e.getMessage(), asset);
        }
        if (amount.isZero()) {
            throw badAmount(what, "it is zero", asset);
        }
        return amount;
    }

    private static ControlException badAmount(String what, String problem, Asset asset) {
        return new ControlException(ErrorCode.BAD_ARGUMENT, "the " + what + " cannot be used: " + problem + ". Give a positive "
                + "decimal figure in " + asset.symbol() + " with at most " + asset.decimals()
                + " decimals, as a string, such as \"0.5\".");
    }

    private static ControlException badAddress(String problem) {
        return new ControlException(ErrorCode.BAD_ARGUMENT, problem + ". Give 0x and 40 hex digits; a mixed-case address "
                + "must match its EIP-55 checksum.");
    }

    /** The body as a JSON object; an empty body is {@code {}} where every field is optional. */
    private static JsonObjectReader fields(byte[] body, boolean emptyAllowed) {
        if (emptyAllowed && new String(body, StandardCharsets.UTF_8).isBlank()) {
            return JsonObjectReader.of(JsonObjectReader.MAPPER.createObjectNode());
        }
        return parse(() -> JsonObjectReader.parse(body));
    }

    private static void refuseOthers(JsonObjectReader fields) {
        parse(() -> {
            fields.refuseOthers();
            return null;
        });
    }

    private static <T> T parse(Supplier<T> read) {
        try {
            return read.get();
        } catch (JsonObjectReader.BadJson e) {
            throw malformed(e.getMessage());
        }
    }

    private static ControlException malformed(String problem) {
        return new ControlException(ErrorCode.MALFORMED_BODY, problem + "; docs/api.md shows each request's body.");
    }

    @FunctionalInterface
    private interface Handler {
        HttpReply handle(Matcher path, byte[] body);
    }

    /** A path (a regular expression whose groups are its parameters) and what each method does there. */
    private record Route(Pattern path, Map<String, Handler> methods) {

        Route(String path, Map<String, Handler> methods) {
            this(Pattern.compile(path), methods);
        }
    }

    private record StaticFile(byte[] bytes, String contentType) {

        HttpReply reply() {
            return new HttpReply(200, contentType, bytes, Map.of(
                    "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'",
                    "Referrer-Policy", "no-referrer"));
        }

        static StaticFile load(String name, String contentType) {
            try (InputStream in = ApiServer.class.getResourceAsStream("dashboard/" + name)) {
                return new StaticFile(Objects.requireNonNull(in, "dashboard/" + name).readAllBytes(), contentType);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dashboard's " + name + " from the class path", e);
            }
        }
    }
}
