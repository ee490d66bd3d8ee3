package io.turnpike.node.api;

import io.turnpike.node.metrics.MicrometerMetrics;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeException;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.NodeControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The node's HTTP API (docs/api.md) and dashboard, driving a {@link NodeControl}. It listens on loopback unless the
 * operator allows otherwise, and every request but the dashboard's static files must carry the data directory's
 * token. Input is checked before the node is asked to do anything, so a malformed request changes nothing.
 */
public final class ApiServer implements AutoCloseable {

    static final String UNAUTHORIZED = "api.unauthorized";
    static final String NOT_FOUND = "api.not_found";
    static final String METHOD_NOT_ALLOWED = "api.method_not_allowed";
    static final String MALFORMED_BODY = "api.malformed_body";
    static final String BODY_TOO_LARGE = "api.body_too_large";
    static final String BAD_ADDRESS = "api.bad_address";
    static final String BAD_AMOUNT = "api.bad_amount";
    static final String BAD_CHANNEL_ID = "api.bad_channel_id";
    static final String INTERNAL = "api.internal";

    /** Bodies are a few fields; anything longer is a mistake or an attack. */
    static final int MAX_BODY_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final Pattern CHANNEL_ID = Pattern.compile("[1-9][0-9]{0,17}|0");
    private static final Map<String, StaticFile> DASHBOARD = Map.of(
            "/", StaticFile.load("index.html", "text/html; charset=utf-8"),
            "/dashboard.js", StaticFile.load("dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard.css", StaticFile.load("dashboard.css", "text/css; charset=utf-8"));

    private final NodeControl control;
    private final ApiToken token;
    private final List<Route> routes;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer server;

    private ApiServer(NodeControl control, ApiToken token, HttpServer server) {
        this.control = control;
        this.token = token;
        this.server = server;
        this.routes = List.of(
                new Route("/api/status", Map.of("GET", (path, body) -> json(200, ApiJson.status(control.status())))),
                new Route("/api/peers", Map.of("GET",
                        (path, body) -> json(200, ApiJson.peers(control.peers(), control.status().asset())))),
                new Route("/api/channels", Map.of(
                        "GET", (path, body) -> json(200, ApiJson.channels(control.channels(), control.status().asset())),
                        "POST", (path, body) -> openChannel(body))),
                new Route("/api/channels/([^/]+)/close", Map.of("POST", this::closeChannel)),
                new Route("/api/pay/([^/]+)", Map.of(
                        "GET", (path, body) -> json(200, ApiJson.preview(control.previewPayment(peer(path)))),
                        "POST", this::pay)),
                new Route("/metrics", Map.of("GET", (path, body) -> metrics())));
    }

    /**
     * Starts listening on {@code api}.
     *
     * @param allowRemote whether the operator allowed an address other machines can reach (turnpike.api.allow-remote)
     * @throws NodeException {@link NodeException.Code#CONFIG_INVALID} for a bind address that is not loopback when
     *     that is not allowed, one this machine does not have, or a port that is taken
     */
    public static ApiServer start(NodeControl control, NodeConfig.Endpoint api, boolean allowRemote, ApiToken token) {
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(token, "token");
        InetAddress address = bindAddress(api.bind());
        if (!address.isLoopbackAddress()) {
            if (!allowRemote) {
                throw new NodeException(NodeException.Code.CONFIG_INVALID, "turnpike.api.bind is " + api.bind()
                        + ", which other machines can reach, and the API moves money; the node did not start it. Keep "
                        + "it on 127.0.0.1 (from elsewhere, use an SSH tunnel), or set turnpike.api.allow-remote = "
                        + "true if it must listen there.");
            }
            LOG.warn("The HTTP API listens on {}, which other machines can reach (turnpike.api.allow-remote = true). "
                    + "Whoever obtains the API token can move this node's money, and plain HTTP carries it "
                    + "unencrypted; prefer 127.0.0.1 and an SSH tunnel.", api.bind());
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address, api.port()), 0);
        } catch (BindException e) {
            throw new NodeException(NodeException.Code.CONFIG_INVALID, "the HTTP API cannot listen on " + api.bind() + ":"
                    + api.port() + " (" + e.getMessage() + "). Is another node running? Stop it, or set "
                    + "turnpike.api.port to a free port.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the HTTP API on " + api.bind() + ":" + api.port(), e);
        }
        ApiServer started = new ApiServer(control, token, server);
        server.createContext("/", started::handle);
        server.setExecutor(started.executor);
        server.start();
        return started;
    }

    /** Where it listens; the port is the one the system chose when the setting is 0. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        // Not shutdownNow: interrupting a request still inside the node (a channel opening that waits for the chain)
        // could cut the node's work short; it finishes on its own, and only its answer is lost.
        executor.shutdown();
    }

    private static InetAddress bindAddress(String bind) {
        try {
            return InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new NodeException(NodeException.Code.CONFIG_INVALID, "turnpike.api.bind is " + bind
                    + ", which is not an address of this machine. Set it to 127.0.0.1.", e);
        }
    }

    private void handle(HttpExchange exchange) {
        try (exchange) {
            Reply reply;
            try {
                reply = respond(exchange);
            } catch (ControlException e) {
                reply = error(e.httpStatus(), e.code(), e.getMessage());
            } catch (TurnpikeException e) {
                reply = error(statusOf(e.code()), e.code().code(), e.getMessage());
            } catch (NodeException e) {
                reply = error(e.code() == NodeException.Code.CHAIN_UNREACHABLE ? 503 : 409, e.code().id(),
                        e.getMessage());
            } catch (RuntimeException e) {
                LOG.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
                reply = error(500, INTERNAL, "the node failed to carry out the request; its log says why.");
            }
            send(exchange, reply);
        } catch (IOException clientGone) {
            LOG.debug("could not answer {} {}: {}", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    clientGone.toString());
        }
    }

    /** A node refusal caused by the request's input is the client's to fix (400); any other is the node's state (409). */
    private static int statusOf(ErrorCode code) {
        return code == ErrorCode.MALFORMED_INPUT || code == ErrorCode.AMOUNT_OUT_OF_RANGE ? 400 : 409;
    }

    private Reply respond(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        StaticFile file = DASHBOARD.get(path);
        if (file != null) {
            // The page holds no secret: the operator gives it the token, and it sends it like any other client.
            allow(exchange, method, List.of("GET"));
            exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            return new Reply(200, file.contentType(), file.bytes());
        }
        if (!token.admits(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"turnpike\"");
            throw new ControlException(UNAUTHORIZED, 401, "this request needs the header 'Authorization: Bearer "
                    + "<token>', with the token in the node's <datadir>/api.token.");
        }
        for (Route route : routes) {
            Matcher matcher = route.path().matcher(path);
            if (matcher.matches()) {
                allow(exchange, method, List.copyOf(route.methods().keySet()));
                return route.methods().get(method).handle(matcher, readBody(exchange));
            }
        }
        throw new ControlException(NOT_FOUND, 404, "there is no " + path + " in the API; docs/api.md lists what there is.");
    }

    private static void allow(HttpExchange exchange, String method, List<String> methods) {
        if (!methods.contains(method)) {
            String allowed = String.join(", ", methods.stream().sorted().toList());
            exchange.getResponseHeaders().set("Allow", allowed);
            throw new ControlException(METHOD_NOT_ALLOWED, 405, exchange.getRequestURI().getRawPath() + " takes "
                    + allowed + ", not " + method + ".");
        }
    }

    private Reply openChannel(byte[] body) {
        JsonObjectReader fields = fields(body, false);
        String partner = parse(() -> fields.string("partner"));
        String deposit = parse(() -> fields.string("deposit"));
        refuseOthers(fields);
        Address partnerAddress = address(partner);
        Asset asset = control.status().asset();
        return json(201, ApiJson.channel(control.openChannel(partnerAddress, deposit(deposit, asset)), asset));
    }

    private Reply closeChannel(Matcher path, byte[] body) {
        String id = path.group(1);
        if (!CHANNEL_ID.matcher(id).matches()) {
            throw new ControlException(BAD_CHANNEL_ID, 400, "'" + id + "' is not a channel id; ids are whole numbers, "
                    + "as 'turnpike channel list' shows them.");
        }
        JsonObjectReader fields = fields(body, true);
        boolean force = parse(() -> fields.optionalBool("force").orElse(false));
        refuseOthers(fields);
        Asset asset = control.status().asset();
        return json(200, ApiJson.channel(control.closeChannel(Long.parseLong(id), force), asset));
    }

    private Reply pay(Matcher path, byte[] body) {
        Address peer = peer(path);
        // "Pay everything owed" takes no parameters; a body that sets one would be ignored, so it is refused.
        refuseOthers(fields(body, true));
        return json(200, ApiJson.payment(control.payNow(peer)));
    }

    private Reply metrics() {
        return new Reply(200, MicrometerMetrics.CONTENT_TYPE, control.metrics().getBytes(StandardCharsets.UTF_8));
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

    private static Amount deposit(String text, Asset asset) {
        Amount amount;
        try {
            amount = Amount.parse(text, asset.decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw badDeposit(e.getMessage(), asset);
        }
        if (amount.isZero()) {
            throw badDeposit("it is zero", asset);
        }
        return amount;
    }

    private static ControlException badDeposit(String problem, Asset asset) {
        return new ControlException(BAD_AMOUNT, 400, "the deposit cannot be used: " + problem + ". Give a positive "
                + "decimal figure in " + asset.symbol() + " with at most " + asset.decimals()
                + " decimals, as a string, such as \"0.5\".");
    }

    private static ControlException badAddress(String problem) {
        return new ControlException(BAD_ADDRESS, 400, problem + ". Give 0x and 40 hex digits; a mixed-case address "
                + "must match its EIP-55 checksum.");
    }

    /** The body as a JSON object; an empty body is {@code {}} where every field is optional. */
    private static JsonObjectReader fields(byte[] body, boolean emptyAllowed) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (text.isBlank() && emptyAllowed) {
            return JsonObjectReader.of(ApiJson.MAPPER.createObjectNode());
        }
        JsonNode tree;
        try {
            tree = ApiJson.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw malformed("the body is not JSON: " + e.getOriginalMessage());
        }
        return parse(() -> JsonObjectReader.of(tree));
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
        return new ControlException(MALFORMED_BODY, 400, problem + "; docs/api.md shows each request's body.");
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new ControlException(BODY_TOO_LARGE, 413, "the body is over " + MAX_BODY_BYTES
                        + " bytes; no request needs that much.");
            }
            return body;
        }
    }

    private static Reply json(int status, ObjectNode body) {
        return new Reply(status, JSON, ApiJson.MAPPER.writeValueAsBytes(body));
    }

    private static Reply error(int status, String code, String message) {
        return json(status, ApiJson.error(code, message));
    }

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", reply.contentType());
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
        exchange.getResponseBody().write(reply.body());
    }

    private record Reply(int status, String contentType, byte[] body) {
    }

    @FunctionalInterface
    private interface Handler {
        Reply handle(Matcher path, byte[] body);
    }

    /** A path (a regular expression whose groups are its parameters) and what each method does there. */
    private record Route(Pattern path, Map<String, Handler> methods) {

        Route(String path, Map<String, Handler> methods) {
            this(Pattern.compile(path), methods);
        }
    }

    private record StaticFile(byte[] bytes, String contentType) {

        static StaticFile load(String name, String contentType) {
            try (InputStream in = ApiServer.class.getResourceAsStream("dashboard/" + name)) {
                return new StaticFile(Objects.requireNonNull(in, "dashboard/" + name).readAllBytes(), contentType);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the dashboard's " + name + " from the class path", e);
            }
        }
    }
}
