package io.turnpike.protocol;

import io.turnpike.http.FatalErrors;
import io.turnpike.core.Address;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Dials another node's peer port. */
public final class PeerClient {

    private PeerClient() {
    }

    /**
     * Connects to {@code uri} ({@code ws://host:port}) and runs the handshake.
     *
     * @param expectedPeer the node meant to answer, if known: any other identity is refused ({@code unexpected_peer})
     * @return completes with the authenticated connection, or fails with a {@link io.turnpike.core.TurnpikeException}
     *     saying why the handshake did not complete
     */
    public static CompletableFuture<PeerConnection> connect(PeerConfig config, URI uri, Optional<Address> expectedPeer,
                                                            PeerListener listener) {
        WebSocketPeerConnection connection = new WebSocketPeerConnection(config, expectedPeer, listener,
                new WebSocketPeerConnection.Transport(Dialler.TIMERS, new FatalErrors("peer transport", config.onFatalError()), () -> {
                }));
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.setTimeout(config.limits().upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            Dialler.CLIENT.connect(connection.events(), request)
                    .whenComplete((session, failure) -> {
                        if (failure != null) {
                            connection.dialFailed(uri, failure);
                        }
                    });
        } catch (IOException failure) {
            connection.dialFailed(uri, failure);
        }
        return connection.authenticated();
    }

    /** One client for the process, started on first use: its threads serve every connection it dials. */
    private static final class Dialler {

        static final ScheduledExecutorScheduler TIMERS = new ScheduledExecutorScheduler("peer-client-timers", true);
        static final WebSocketClient CLIENT = start();

        private static WebSocketClient start() {
            QueuedThreadPool threads = new QueuedThreadPool();
            threads.setName("peer-client");
            threads.setDaemon(true);
            HttpClient http = new HttpClient();
            http.setExecutor(threads);
            http.setScheduler(TIMERS);
            // A peer port that answers the upgrade with endless headers is cut off as ours cuts off such requests.
            http.setMaxResponseHeadersSize(PeerLimits.defaults().maxRequestHeaderBytes());
            try {
                // Started first, so that the WebSocket client runs on its daemon threads instead of a pool of its
                // own, whose threads would keep the JVM alive after main returns.
                http.start();
                WebSocketClient client = new WebSocketClient(http);
                client.start();
                return client;
            } catch (Exception failed) {
                throw new IllegalStateException("cannot start the peer client: " + failed.getMessage(), failed);
            }
        }
    }
}
