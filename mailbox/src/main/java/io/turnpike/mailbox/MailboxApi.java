package io.turnpike.mailbox;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The mailbox's HTTP API (docs/mailbox.md) on a {@link JsonHttpServer} within its {@link HttpLimits}: {@code GET
 * /v1/mailbox}, {@code POST /v1/mailbox/deliver}, {@code POST /v1/mailbox/fetch}, {@code POST /v1/mailbox/delete},
 * {@code GET /v1/mailbox/keys/ADDRESS}, in the {@link MailboxMessages} the client reads and writes too. There is no
 * login: anyone may deliver, and the owner's reads and deletes carry its signature. A refusal is {@code {"code",
 * "message"}} with the status its code maps to.
 */
public final class MailboxApi implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxApi.class);
    private static final String KEYS = "/v1/mailbox/keys/";
    private static final String PATHS = "GET /v1/mailbox, POST /v1/mailbox/deliver, POST /v1/mailbox/fetch, "
            + "POST /v1/mailbox/delete and GET " + KEYS + "ADDRESS";

    private record Route(String method, Function<byte[], ObjectNode> handler) {
    }

    private final Map<String, Route> routes;
    private final Function<Address, ObjectNode> keys;
    private final JsonHttpServer server;

    private MailboxApi(Mailbox mailbox, InetSocketAddress address, JsonHttpServer.Surface surface) throws IOException {
        this.routes = Map.of(
                "/v1/mailbox", new Route("GET", body -> MailboxMessages.Info.of(mailbox).toJson()),
                "/v1/mailbox/deliver", new Route("POST", body -> {
                    MailboxMessages.Delivery delivery = read(body, MailboxMessages.Delivery::read);
                    return new MailboxMessages.Delivered(mailbox.deliver(delivery.to(), delivery.envelope())).toJson();
                }),
                "/v1/mailbox/fetch", new Route("POST", body -> MailboxMessages.Fetched.of(
                        mailbox.fetch(read(body, MailboxMessages::readFetch))).toJson()),
                "/v1/mailbox/delete", new Route("POST", body -> new MailboxMessages.Deleted(
                        mailbox.delete(read(body, MailboxMessages::readDelete))).toJson()));
        this.keys = owner -> new MailboxMessages.Key(owner, mailbox.key(owner)).toJson();
        // Last, once everything a request reads is set.
        this.server = JsonHttpServer.start(address, surface, this::answer);
    }

    /**
     * Listens on {@code address} (port 0: one the system picks) within {@code limits} ({@link #limits} fits the
     * mailbox's largest envelope).
     *
     * @param onFatalError called once when the transport meets an error the JVM may not survive
     * @throws java.net.BindException if the port is taken or the address is not this machine's
     */
    public static MailboxApi start(InetSocketAddress address, HttpLimits limits, Consumer<Throwable> onFatalError,
                                   Mailbox mailbox) throws IOException {
        return new MailboxApi(mailbox, address, new JsonHttpServer.Surface("mailbox API", limits, onFatalError));
    }

    /** The shared defaults, with a body that holds the largest envelope in base64 and the JSON around it. */
    public static HttpLimits limits(MailboxConfig config) {
        int base64 = 4 * ((config.maxEnvelopeBytes() + 2) / 3);
        return HttpLimits.defaults().withMaxBodyBytes(base64 + 1024);
    }

    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.close();
    }

    private HttpReply answer(HttpCall call) throws HttpRefusal {
        try {
            return respond(call);
        } catch (RuntimeException e) {
            return HttpReply.failure(e, call, LOG, "the mailbox failed to handle the request; its log says why. "
                    + "Nothing is known to be stored: send it again later");
        }
    }

    private HttpReply respond(HttpCall call) throws HttpRefusal {
        String path = call.path();
        if (path.startsWith(KEYS)) {
            return only("GET", call).orElseGet(() -> HttpReply.json(200, keys.apply(owner(path))));
        }
        Route route = routes.get(path);
        if (route == null) {
            throw new TurnpikeException(ErrorCode.NOT_FOUND, "there is no " + JsonObjectReader.quote(path)
                    + "; the API is " + PATHS);
        }
        Optional<HttpReply> wrongMethod = only(route.method(), call);
        if (wrongMethod.isPresent()) {
            return wrongMethod.get();
        }
        return HttpReply.json(200, route.handler().apply(call.body()));
    }

    private static Optional<HttpReply> only(String method, HttpCall call) {
        return method.equals(call.method()) ? Optional.empty() : Optional.of(
                HttpReply.error(ErrorCode.METHOD_NOT_ALLOWED, call.path() + " takes " + method + " only")
                        .withHeader("Allow", method));
    }

    private static Address owner(String path) {
        String text = path.substring(KEYS.length());
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, JsonObjectReader.quote(text) + " is not an address: "
                    + e.getMessage());
        }
    }

    private static <T> T read(byte[] body, Function<JsonObjectReader, T> message) {
        return JsonObjectReader.readRequest(body, message, "docs/mailbox.md");
    }
}
