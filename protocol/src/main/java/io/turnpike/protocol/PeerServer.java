package io.turnpike.protocol;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's peer port: accepts WebSocket connections from any node and runs the handshake on each. */
public final class PeerServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PeerServer.class);
    private static final long START_TIMEOUT_SECONDS = 10;
    private static final int STOP_TIMEOUT_MILLIS = 2_000;

    private final Endpoint endpoint;

    private PeerServer(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * Binds {@code address} (port 0 picks a free one) and starts accepting peers; returns once listening.
     *
     * @throws IllegalStateException if the address cannot be bound
     */
    public static PeerServer start(PeerConfig config, InetSocketAddress address, PeerListener listener) {
        Endpoint endpoint = new Endpoint(address, config, listener);
        endpoint.start();
        try {
            endpoint.started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException failed) {
            endpoint.shutDown();
            throw new IllegalStateException("the peer port " + address + " could not be opened: "
                    + (failed.getCause() == null ? failed : failed.getCause()).getMessage(), failed);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            endpoint.shutDown();
            throw new IllegalStateException("interrupted while opening the peer port " + address, interrupted);
        }
        return new PeerServer(endpoint);
    }

    /** The port actually bound. */
    public int port() {
        return endpoint.getPort();
    }

    /** Closes every connection (1001, going away) and the port. */
    @Override
    public void close() {
        endpoint.shutDown();
    }

    private static final class Endpoint extends WebSocketServer {

        private final PeerConfig config;
        private final PeerListener listener;
        private final CompletableFuture<Void> started = new CompletableFuture<>();

        Endpoint(InetSocketAddress address, PeerConfig config, PeerListener listener) {
            super(address, List.of(WebSocketPeerConnection.draft()));
            this.config = config;
            this.listener = listener;
            setConnectionLostTimeout(Math.toIntExact(config.pingInterval().toSeconds()));
            setReuseAddr(true);
            setDaemon(true);
        }

        void shutDown() {
            try {
                stop(STOP_TIMEOUT_MILLIS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void onStart() {
            started.complete(null);
        }

        @Override
        public void onOpen(WebSocket socket, ClientHandshake request) {
            WebSocketPeerConnection connection =
                    new WebSocketPeerConnection(socket, config, Optional.empty(), listener);
            socket.setAttachment(connection);
            connection.opened();
        }

        @Override
        public void onMessage(WebSocket socket, String frame) {
            connectionOf(socket).ifPresent(connection -> connection.received(frame));
        }

        @Override
        public void onMessage(WebSocket socket, ByteBuffer frame) {
            connectionOf(socket).ifPresent(WebSocketPeerConnection::receivedBinary);
        }

        @Override
        public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            connectionOf(socket).ifPresent(connection -> connection.socketClosed(code, reason));
        }

        @Override
        public void onError(WebSocket socket, Exception error) {
            if (socket == null) {
                // No connection: the server itself failed, typically while binding.
                started.completeExceptionally(error);
                return;
            }
            log.debug("peer connection {} failed", socket.getRemoteSocketAddress(), error);
        }

        private static Optional<WebSocketPeerConnection> connectionOf(WebSocket socket) {
            return Optional.ofNullable(socket.getAttachment());
        }
    }
}
