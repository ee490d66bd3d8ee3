package io.turnpike.http;

import io.turnpike.core.ErrorCode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server every Turnpike HTTP surface runs on (the node's API and dashboard, the watchtower's API, the JSON-RPC
 * front and entry): Jetty 12's core server with no servlet container, each request handled on a virtual thread of its
 * own, and every bound of {@link HttpLimits} applied before or while the surface sees the request. A surface is a
 * {@link Responder}; a refusal the server makes itself (an {@link ErrorCode} such as {@code body_too_large}) is written
 * in the surface's {@link RefusalFormat}, so that it reads like the surface's own: {@code {"code": "body_too_large",
 * …}} on the node's API, a JSON-RPC error on the rpc front. Every answer carries {@code Cache-Control: no-store} and
 * {@code X-Content-Type-Options: nosniff}.
 */
public final class JsonHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpServer.class);

    /**
     * What a surface is to the server.
     *
     * @param name what the log calls it ("HTTP API", "watchtower API", "rpc front")
     * @param onFatalError called once, after logging, when the transport meets an error the JVM may not survive;
     *     {@link FatalErrors#exitProcess} in production
     * @param refusals how the server's own refusals are written
     */
    public record Surface(String name, HttpLimits limits, Consumer<Throwable> onFatalError, RefusalFormat refusals) {
        public Surface {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(onFatalError, "onFatalError");
            Objects.requireNonNull(refusals, "refusals");
        }

        /** A surface whose refusals are written as {@link HttpReply#error} writes every coded refusal. */
        public Surface(String name, HttpLimits limits, Consumer<Throwable> onFatalError) {
            this(name, limits, onFatalError, HttpReply::error);
        }
    }

    /** Writes a refusal the server makes itself as the surface writes its own. */
    @FunctionalInterface
    public interface RefusalFormat {

        /**
         * @param code what was refused; {@link ErrorCode#httpStatus()} is the status the server would answer with
         * @param message a sentence for the client: what was refused and what to do
         */
        HttpReply refusal(ErrorCode code, String message);
    }

    /** A surface's requests to answers. It catches its own failures; a {@link HttpRefusal} it lets through. */
    @FunctionalInterface
    public interface Responder {
        HttpReply respond(HttpCall call) throws HttpRefusal;
    }

    /**
     * What a surface that also takes WebSocket connections on its port (the rpc front and entry) adds: the handler that
     * upgrades a request, wrapping the surface's own, which gets every request that is not an upgrade. An upgrade is
     * admitted by the same connection limits first.
     */
    @FunctionalInterface
    public interface Upgrades {
        Handler.Singleton handler(Server server);
    }

    private final Server server;
    private final ExecutorService handlers;
    private final InetSocketAddress address;

    private JsonHttpServer(Server server, ExecutorService handlers, InetSocketAddress address) {
        this.server = server;
        this.handlers = handlers;
        this.address = address;
    }

    /**
     * Listens on {@code address} (port 0: one the system chooses).
     *
     * @throws BindException if the port is taken or the address is not this machine's
     * @throws IOException if the server could not start for another reason
     */
    public static JsonHttpServer start(InetSocketAddress address, Surface surface, Responder responder)
            throws IOException {
        return start(address, surface, responder, null);
    }

    /** As {@link #start(InetSocketAddress, Surface, Responder)}, taking WebSocket upgrades with {@code upgrades}. */
    public static JsonHttpServer start(InetSocketAddress address, Surface surface, Responder responder,
                                       Upgrades upgrades) throws IOException {
        HttpLimits limits = surface.limits();
        FatalErrors fatalErrors = new FatalErrors(surface.name(), surface.onFatalError());
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        Server server = new Server(threads(surface.name(), fatalErrors, handlers));
        // Stopping closes every connection at once, as the JDK's server did: no surface has work to drain but its
        // handlers', which finish on their own (see stop).
        server.setStopTimeout(0);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        ServerConnector connector = new ReportingConnector(server, fatalErrors, new HttpConnectionFactory(http));
        connector.setHost(address.getAddress().getHostAddress());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        ConnectionGuard guard = new ConnectionGuard(limits, server.getScheduler());
        connector.addEventListener(guard);
        server.addConnector(connector);
        // Refused connections hold a socket until answered: past twice the admitted ones, stop accepting.
        server.addBean(new NetworkConnectionLimit(2 * limits.maxConnections(), connector));
        Dispatch dispatch = new Dispatch(surface, responder, guard, fatalErrors);
        if (upgrades == null) {
            server.setHandler(dispatch);
        } else {
            Handler.Singleton upgrading = upgrades.handler(server);
            upgrading.setHandler(dispatch);
            server.setHandler(new UpgradeAdmission(guard, upgrading, dispatch));
        }
        server.setErrorHandler(new TransportErrors(surface));

        try {
            server.start();
        } catch (Exception failed) {
            stop(server, handlers);
            for (Throwable cause = failed; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException bind) {
                    throw bind;
                }
            }
            throw failed instanceof IOException io ? io : new IOException(failed.getMessage(), failed);
        }
        return new JsonHttpServer(server, handlers, new InetSocketAddress(address.getAddress(),
                connector.getLocalPort()));
    }

    /** Where it listens; the port is the one the system chose when it was given 0. */
    public InetSocketAddress address() {
        return address;
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        stop(server, handlers);
    }

    private static void stop(Server server, ExecutorService handlers) {
        try {
            server.stop();
        } catch (Exception failed) {
            LOG.warn("the HTTP server did not stop cleanly: {}", failed.toString());
        }
        // Not shutdownNow: interrupting a request still inside the node (a channel opening that waits for the chain)
        // could cut its work short; it finishes on its own, and only its answer is lost.
        handlers.shutdown();
    }

    /** Daemon selector threads; handlers on virtual threads; a fatal error escaping a job is reported. */
    private static QueuedThreadPool threads(String name, FatalErrors fatalErrors, Executor handlers) {
        QueuedThreadPool threads = new QueuedThreadPool() {
            @Override
            protected void onJobFailure(Throwable failure) {
                if (!fatalErrors.check(failure)) {
                    super.onJobFailure(failure);
                }
            }
        };
        threads.setName(name.replace(' ', '-'));
        threads.setDaemon(true);
        threads.setVirtualThreadsExecutor(handlers);
        return threads;
    }

    /** Writes {@code reply} with the headers every answer carries, then runs {@code done}. */
    private static void send(Response response, HttpReply reply, boolean close, Callback done) {
        response.setStatus(reply.status());
        reply.headers().forEach(response.getHeaders()::put);
        if (reply.body().length > 0) {
            // An answer without a body (a 204) has no type to declare.
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        if (close) {
            response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        }
        response.write(true, ByteBuffer.wrap(reply.body()), done);
    }

    private static HttpReply internalError(Surface surface) {
        return surface.refusals().refusal(ErrorCode.INTERNAL,
                "the server failed to handle the request; its log says why");
    }

    /** Every request: the connection's admission, then the surface, then the connection back on the clock. */
    private static final class Dispatch extends Handler.Abstract {

        private final Surface surface;
        private final Responder responder;
        private final ConnectionGuard guard;
        private final FatalErrors fatalErrors;

        Dispatch(Surface surface, Responder responder, ConnectionGuard guard, FatalErrors fatalErrors) {
            this.surface = surface;
            this.responder = responder;
            this.guard = guard;
            this.fatalErrors = fatalErrors;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Connection connection = request.getConnectionMetaData().getConnection();
            ConnectionGuard.Slot slot = guard.requestArrived(connection);
            HttpReply reply;
            boolean close = false;
            if (!slot.admitted()) {
                close = true;
                reply = surface.refusals().refusal(ErrorCode.TOO_MANY_CONNECTIONS, "this server holds at most "
                                + surface.limits().maxConnections() + " connections, "
                                + surface.limits().maxConnectionsPerAddress() + " from one address; close some, "
                                + "or reuse one (keep-alive)");
            } else {
                try {
                    reply = responder.respond(new HttpCall(request, surface.limits(), slot.deadlineNanos()));
                } catch (HttpRefusal refused) {
                    close = true;
                    reply = surface.refusals().refusal(refused.code(), refused.getMessage());
                } catch (VirtualMachineError fatal) {
                    // Reported, not rethrown: Jetty would log it again for every request that meets it.
                    fatalErrors.report(fatal);
                    close = true;
                    reply = internalError(surface);
                }
            }
            send(response, reply, close, Callback.from(() -> {
                guard.answered(connection);
                callback.succeeded();
            }, callback::failed));
            return true;
        }
    }

    /**
     * An upgrade request is off the request clock and goes to the upgrading handler if its connection was admitted;
     * if not, to {@link Dispatch}, which refuses it as it refuses any request on such a connection.
     */
    private static final class UpgradeAdmission extends Handler.Wrapper {

        private final ConnectionGuard guard;
        private final Dispatch dispatch;

        UpgradeAdmission(ConnectionGuard guard, Handler upgrading, Dispatch dispatch) {
            super(upgrading);
            this.guard = guard;
            this.dispatch = dispatch;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            if (!request.getHeaders().contains(HttpHeader.UPGRADE)) {
                return super.handle(request, response, callback);
            }
            ConnectionGuard.Slot slot = guard.requestArrived(request.getConnectionMetaData().getConnection());
            return slot.admitted() ? super.handle(request, response, callback)
                    : dispatch.handle(request, response, callback);
        }
    }

    /**
     * What Jetty answers itself, before a request reaches {@link Dispatch} (a request line or headers over the
     * limit, a message that is not HTTP), or after a surface failed in a way it did not catch: the same JSON.
     */
    private static final class TransportErrors extends Handler.Abstract.NonBlocking {

        private final Surface surface;

        TransportErrors(Surface surface) {
            this.surface = surface;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            int status = response.getStatus();
            int limit = surface.limits().maxRequestHeaderBytes();
            RefusalFormat refusals = surface.refusals();
            HttpReply reply = switch (status) {
                case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> refusals.refusal(ErrorCode.HEADERS_TOO_LARGE, "the request line and headers are over " + limit
                                + " bytes together; send fewer or shorter headers");
                case HttpStatus.URI_TOO_LONG_414 -> refusals.refusal(ErrorCode.URI_TOO_LONG,
                        "the request line is over " + limit + " bytes; no path here is that long");
                default -> status >= 500 ? internalError(surface) : refusals.refusal(ErrorCode.BAD_REQUEST, "the request is not HTTP/1.1 this server reads ("
                                + HttpStatus.getMessage(status) + ")");
            };
            send(response, reply, true, callback);
            return true;
        }
    }
}
