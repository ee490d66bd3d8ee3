package io.turnpike.protocol;

import io.turnpike.http.FatalErrors;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's peer port: accepts WebSocket connections from any node and runs the handshake on each, within
 * the {@link PeerLimits} of its {@link PeerConfig}.
 */
public final class PeerServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerServer.class);
    private static final long STOP_TIMEOUT_MILLIS = 2_000;

    private final Server server;
    private final PeerPortConnector connector;
    private final LongAdder rejectedBeforeHandshake;

    private PeerServer(Server server, PeerPortConnector connector, LongAdder rejectedBeforeHandshake) {
        this.server = server;
        this.connector = connector;
        this.rejectedBeforeHandshake = rejectedBeforeHandshake;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and starts accepting peers; returns once listening.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static PeerServer start(PeerConfig config, InetSocketAddress address, PeerListener listener) {
        PeerLimits limits = config.limits();
        FatalErrors fatalErrors = new FatalErrors("peer transport", config.onFatalError());
        LongAdder rejected = new LongAdder();
        Scheduler timers = new ScheduledExecutorScheduler("peer-port-timers", true);
        Server server = new Server(threads(fatalErrors), timers, null);
        server.setStopTimeout(STOP_TIMEOUT_MILLIS);

        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxRequestHeaderBytes());
        http.setSendServerVersion(false);
        PeerPortConnector connector = new PeerPortConnector(server, limits, fatalErrors,
                new HttpConnectionFactory(http));
        connector.setHost(address.getHostString());
        connector.setPort(address.getPort());
        server.addConnector(connector);

        WebSocketPeerConnection.Transport transport =
                new WebSocketPeerConnection.Transport(timers, fatalErrors, rejected::increment);
        WebSocketUpgradeHandler upgrades = WebSocketUpgradeHandler.from(server, container ->
                container.addMapping("/*", (request, response, callback) -> {
                    // No extensions: permessage-deflate would let a small frame inflate past the limits.
                    response.setExtensions(List.of());
                    return new WebSocketPeerConnection(config, Optional.empty(), listener, transport).events();
                }));
        upgrades.setHandler(new NotAnUpgrade(rejected));
        server.setHandler(upgrades);

        try {
            server.start();
        } catch (Exception failed) {
            stop(server);
            throw new IllegalStateException("the peer port " + address + " could not be opened: "
                    + failed.getMessage(), failed);
        }
        return new PeerServer(server, connector, rejected);
    }

    /** The port actually bound. */
    public int port() {
        return connector.getLocalPort();
    }

    /**
     * Frames and requests refused before a peer completed the handshake: undecodable or oversized frames,
     * frames breaking the WebSocket protocol, messages other than the handshake's, failed handshakes, and HTTP
     * requests that are not WebSocket upgrades. Each is logged at debug only, so this count is where they show.
     */
    public long rejectedBeforeHandshake() {
        return rejectedBeforeHandshake.sum();
    }

    /** Closes every connection (1001, going away) and the port. */
    @Override
    public void close() {
        stop(server);
    }

    private static void stop(Server server) {
        try {
            server.stop();
        } catch (Exception failed) {
            log.warn("the peer port did not stop cleanly: {}", failed.toString());
        }
    }

    /** Daemon threads, as the node's other background work; a fatal error escaping a job is reported. */
    private static QueuedThreadPool threads(FatalErrors fatalErrors) {
        QueuedThreadPool threads = new QueuedThreadPool() {
            @Override
            protected void onJobFailure(Throwable failure) {
                if (!fatalErrors.check(failure)) {
                    super.onJobFailure(failure);
                }
            }
        };
        threads.setName("peer-port");
        threads.setDaemon(true);
        return threads;
    }

    /** Anything but a WebSocket upgrade: refused, counted, and the connection closed. */
    private static final class NotAnUpgrade extends Handler.Abstract.NonBlocking {

        private final LongAdder rejected;

        NotAnUpgrade(LongAdder rejected) {
            this.rejected = rejected;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            rejected.increment();
            log.debug("refused {} {} from {}: not a WebSocket upgrade", request.getMethod(),
                    request.getHttpURI().getPath(), Request.getRemoteAddr(request));
            response.setStatus(HttpStatus.UPGRADE_REQUIRED_426);
            response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            callback.succeeded();
            return true;
        }
    }
}
