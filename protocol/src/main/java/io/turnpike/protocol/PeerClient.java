package io.turnpike.protocol;

import io.turnpike.core.Address;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Dials another node's peer port. */
public final class PeerClient {

    private static final Logger log = LoggerFactory.getLogger(PeerClient.class);

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
        Dialer dialer = new Dialer(uri, config, expectedPeer, listener);
        dialer.connect();
        return dialer.connection.authenticated();
    }

    private static final class Dialer extends WebSocketClient {

        private final WebSocketPeerConnection connection;

        Dialer(URI uri, PeerConfig config, Optional<Address> expectedPeer, PeerListener listener) {
            super(uri, WebSocketPeerConnection.draft());
            this.connection = new WebSocketPeerConnection(this, config, expectedPeer, listener);
            setConnectionLostTimeout(Math.toIntExact(config.pingInterval().toSeconds()));
            setDaemon(true);
        }

        @Override
        public void onOpen(ServerHandshake response) {
            connection.opened();
        }

        @Override
        public void onMessage(String frame) {
            connection.received(frame);
        }

        @Override
        public void onMessage(ByteBuffer frame) {
            connection.receivedBinary();
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            connection.socketClosed(code, reason);
        }

        @Override
        public void onError(Exception error) {
            log.debug("peer connection to {} failed", getURI(), error);
        }
    }
}
