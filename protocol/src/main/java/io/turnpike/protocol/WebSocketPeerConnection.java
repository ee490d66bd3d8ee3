package io.turnpike.protocol;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.protocol.PeerHandshake.Step;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PeerConnection} over one Java-WebSocket socket, server or client side alike: frames in go through
 * the codec and the {@link PeerHandshake}, whose steps this class carries out on the socket and the listener.
 */
final class WebSocketPeerConnection implements PeerConnection {

    /**
     * Frames up to this size are read, and those over {@link PeerCodec#MAX_MESSAGE_BYTES} refused with
     * {@code message_too_large}; above it the library closes the connection (1009) without buffering the
     * frame, so a peer cannot make this node hold more than this per connection.
     */
    static final int FRAME_LIMIT = 4 * PeerCodec.MAX_MESSAGE_BYTES;

    private static final Logger log = LoggerFactory.getLogger(WebSocketPeerConnection.class);

    private final WebSocket socket;
    private final PeerListener listener;
    private final Duration handshakeTimeout;
    private final CompletableFuture<PeerConnection> authenticated = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Replaced only under this object's lock, so the socket thread and the handshake timer take turns. */
    private volatile PeerHandshake handshake;

    WebSocketPeerConnection(WebSocket socket, PeerConfig config, Optional<Address> expectedPeer,
                            PeerListener listener) {
        this.socket = socket;
        this.listener = listener;
        this.handshakeTimeout = config.handshakeTimeout();
        this.handshake = PeerHandshake.start(config.key(), config.domain(), config.random(), expectedPeer);
    }

    /** The draft both ends speak: plain RFC 6455 with {@link #FRAME_LIMIT}. */
    static Draft_6455 draft() {
        return new Draft_6455(List.of(), FRAME_LIMIT);
    }

    /** Completes with this connection when the handshake does; fails with the reason it did not. */
    CompletableFuture<PeerConnection> authenticated() {
        return authenticated;
    }

    /** The socket is open: say hello and start the handshake clock. */
    void opened() {
        transmit(handshake.hello());
        CompletableFuture.delayedExecutor(handshakeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> apply(current -> current.timedOut(handshakeTimeout)));
    }

    void received(String frame) {
        apply(current -> {
            try {
                return current.receive(PeerCodec.decode(frame));
            } catch (TurnpikeException refused) {
                return current.rejected(refused);
            }
        });
    }

    void receivedBinary() {
        apply(current -> current.rejected(JsonFields.malformed(
                "a binary frame; every message is one JSON text frame")));
    }

    /** The socket closed, from either side, or never opened. */
    void socketClosed(int code, String reason) {
        PeerHandshake last = handshake;
        authenticated.completeExceptionally(last.failure().orElseGet(() -> new TurnpikeException(
                ErrorCode.UNAUTHENTICATED, "the connection closed before the handshake completed (" + code
                + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")")));
        closed.complete(null);
        if (last.isEstablished()) {
            guarded("onClosed", () -> listener.onClosed(this));
        }
    }

    @Override
    public Address remote() {
        return handshake.remote().orElseThrow(() -> new IllegalStateException(
                "the peer is not authenticated yet; wait for the handshake to complete"));
    }

    @Override
    public InetSocketAddress remoteSocket() {
        return socket.getRemoteSocketAddress();
    }

    @Override
    public void send(PeerMessage message) {
        if (message instanceof Hello || message instanceof Auth) {
            throw new IllegalArgumentException(message.type() + " is sent by the handshake only");
        }
        if (!handshake.isEstablished()) {
            throw new IllegalStateException("cannot send " + message.type() + " before the handshake completes");
        }
        transmit(message);
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    @Override
    public void close() {
        socket.close(CloseFrame.NORMAL);
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public String toString() {
        return "PeerConnection[" + handshake.remote().map(Address::toString).orElse("unauthenticated") + " at "
                + remoteSocket() + "]";
    }

    private void apply(Function<PeerHandshake, Step> input) {
        try {
            carryOut(input);
        } catch (RuntimeException bug) {
            // The socket library stops the whole server on an exception from a callback; one connection's bug
            // must cost only that connection.
            log.error("closing {} after an internal error", this, bug);
            socket.close(CloseFrame.UNEXPECTED_CONDITION);
        }
    }

    private void carryOut(Function<PeerHandshake, Step> input) {
        Step step;
        boolean nowEstablished;
        synchronized (this) {
            PeerHandshake before = handshake;
            step = input.apply(before);
            handshake = step.next();
            nowEstablished = !before.isEstablished() && handshake.isEstablished();
            // Sent under the lock, so the peer sees our auth before anything the node sends once established.
            step.send().forEach(this::transmit);
            if (step.close()) {
                socket.close(CloseFrame.POLICY_VALIDATION,
                        handshake.failure().map(failure -> failure.code().code()).orElse("closed"));
            }
        }
        if (step.close()) {
            step.next().failure().ifPresent(failure -> {
                log.debug("handshake with {} failed: {}", remoteSocket(), failure.toString());
                authenticated.completeExceptionally(failure);
            });
        }
        if (nowEstablished) {
            authenticated.complete(this);
            guarded("onAuthenticated", () -> listener.onAuthenticated(this));
        }
        step.deliver().ifPresent(this::deliver);
    }

    private void deliver(PeerMessage message) {
        try {
            listener.onMessage(this, message);
        } catch (TurnpikeException refused) {
            transmit(ErrorMessage.of(refused));
        } catch (RuntimeException bug) {
            // Not the peer's fault and not for the peer to see; the connection carries on.
            log.error("the node failed on {} from {}", message.type(), this, bug);
        }
    }

    /** Runs a listener callback; a failure there must not reach the socket library, which would drop the server. */
    private void guarded(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException bug) {
            log.error("{} failed for {}", callback, this, bug);
        }
    }

    private void transmit(PeerMessage message) {
        try {
            socket.send(PeerCodec.encode(message));
        } catch (WebsocketNotConnectedException closedMeanwhile) {
            log.debug("dropped {} to {}: the connection is closed", message.type(), this);
        }
    }
}
