package io.turnpike.rpc;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener under the front and the entry: Jetty 12's core server, no servlets, each request handled on a
 * virtual thread of its own (a request waits for an upstream, so blocking is the point), every answer whole in memory.
 */
final class HttpSurface implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpSurface.class);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** A request's body must arrive within this: a client trickling it in holds a connection, not a thread's worth. */
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);
    /**
     * No graceful stop: it would wait out every client's idle keep-alive connection. A request cut short is one a
     * program sends again; its handler still runs to the end, so what it cost is metered all the same.
     */
    private static final long STOP_TIMEOUT_MILLIS = 0;

    /** A surface's requests to answers. */
    @FunctionalInterface
    interface Exchange {
        Reply handle(Incoming request);
    }

    /** An answer: status, extra headers, and a JSON body (empty for none). */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        Reply {
            headers = Map.copyOf(headers);
        }
    }

    /** One request as a surface sees it. */
    static final class Incoming {
        private final Request request;

        private Incoming(Request request) {
            this.request = request;
        }

        String method() {
            return request.getMethod();
        }

        /** The header's first value, or null. */
        String header(String name) {
            return request.getHeaders().get(name);
        }

        /**
         * The whole body.
         *
         * @throws RpcRefused {@code body_too_large} past {@code limit} bytes; {@code invalid_request} if it did not
         *     arrive whole in time
         */
        byte[] body(int limit) throws RpcRefused {
            RpcRefused tooLarge = new RpcRefused(RpcRefusal.BODY_TOO_LARGE, "the request is over " + limit
                    + " bytes; send fewer calls at once");
            if (request.getLength() > limit) {
                throw tooLarge;
            }
            try {
                return Content.Source.asByteArrayAsync(request, limit).get(BODY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IllegalArgumentException) {
                    throw tooLarge; // how Jetty fails a read past the limit (a chunked body has no length to check first)
                }
                throw new RpcRefused(RpcRefusal.INVALID_REQUEST, "the body could not be read: " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                request.fail(e);
                throw new RpcRefused(RpcRefusal.INVALID_REQUEST, "the body did not arrive within "
                        + BODY_TIMEOUT.toSeconds() + " s; send it at once");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RpcRefused(RpcRefusal.INVALID_REQUEST, "the server is stopping; send the request again");
            }
        }
    }

    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService handlers;

    private HttpSurface(Server server, ServerConnector connector, ExecutorService handlers) {
        this.server = server;
        this.connector = connector;
        this.handlers = handlers;
    }

    /**
     * Listens on {@code address} (port 0: one the system picks).
     *
     * @throws BindException if the port is taken or the address is not this machine's
     */
    static HttpSurface start(InetSocketAddress address, String name, Exchange exchange) throws IOException {
        ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName(name);
        threads.setDaemon(true);
        threads.setVirtualThreadsExecutor(handlers);
        Server server = new Server(threads);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        server.setHandler(new Dispatch(exchange));
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
        return new HttpSurface(server, connector, handlers);
    }

    int port() {
        return connector.getLocalPort();
    }

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
        handlers.shutdown();
    }

    /** Blocking, so Jetty runs it on a virtual thread of the pool's. */
    private static final class Dispatch extends Handler.Abstract {

        private final Exchange exchange;

        Dispatch(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            Reply reply = exchange.handle(new Incoming(request));
            response.setStatus(reply.status());
            reply.headers().forEach(response.getHeaders()::put);
            if (reply.body().length > 0) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            }
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
            response.write(true, ByteBuffer.wrap(reply.body()), callback);
            return true;
        }
    }
}
