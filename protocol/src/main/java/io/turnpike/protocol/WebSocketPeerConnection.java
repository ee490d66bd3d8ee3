package io.turnpike.protocol;

import io.turnpike.http.FatalErrors;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.protocol.PeerHandshake.Step;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jetty.util.thread.Scheduler;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.api.exceptions.CloseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link PeerConnection} over one Jetty WebSocket session, server or client side alike: frames in go through
 * the codec and the {@link PeerHandshake}, whose steps this class carries out on the session and the listener,
 * within the {@link PeerLimits} of its {@link PeerConfig}.
 *
 * <p>Jetty delivers one message at a time and reads the next only once the listener has returned, so calls
 * to the listener for one connection never overlap. Jetty aggregates the fragments of a text message up to
 * the session's limit, which is the small handshake limit until the peer has authenticated.
 */
final class WebSocketPeerConnection implements PeerConnection {

    /** What the connection's owner, the peer port or the dialler, lends it. */
    record Transport(Scheduler timers, FatalErrors fatalErrors, Runnable rejectedBeforeHandshake) {
    }

    /** How long a peer has to answer a close frame before its socket is dropped. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(WebSocketPeerConnection.class);

    private final PeerConfig config;
    private final PeerListener listener;
    private final Transport transport;
    private final SendBacklog backlog;
    private final CompletableFuture<PeerConnection> authenticated = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    /** Replaced only under this object's lock, so the session's thread and the timers take turns. */
    private volatile PeerHandshake handshake;
    private volatile Session session;
    private volatile InetSocketAddress remoteSocket;
    private volatile long lastHeardNanos;
    private volatile Scheduler.Task handshakeDeadline;
    private volatile Scheduler.Task nextPing;

    WebSocketPeerConnection(PeerConfig config, Optional<Address> expectedPeer, PeerListener listener,
                            Transport transport) {
        this.config = config;
        this.listener = listener;
        this.transport = transport;
        this.backlog = new SendBacklog(config.limits());
        this.handshake = PeerHandshake.start(config.key(), config.domain(), config.random(), expectedPeer);
    }

    /** What Jetty calls: a separate object, because Jetty finds these methods only on a public class. */
    Events events() {
        return new Events(this);
    }

    /** Completes with this connection when the handshake does; fails with the reason it did not. */
    CompletableFuture<PeerConnection> authenticated() {
        return authenticated;
    }

    /** The dialler could not open the WebSocket at all. */
    void dialFailed(URI uri, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        transport.fatalErrors().check(cause);
        authenticated.completeExceptionally(new TurnpikeException(ErrorCode.UNAUTHENTICATED,
                "could not open a peer connection to " + uri + ": " + cause));
        closed.complete(null);
    }

    @Override
    public Address remote() {
        return handshake.remote().orElseThrow(() -> new IllegalStateException(
                "the peer is not authenticated yet; wait for the handshake to complete"));
    }

    @Override
    public InetSocketAddress remoteSocket() {
        return remoteSocket;
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
        Session current = session;
        return current != null && current.isOpen();
    }

    @Override
    public void close() {
        closeWith(StatusCode.NORMAL, null);
    }

    @Override
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public String toString() {
        return "PeerConnection[" + handshake.remote().map(Address::toString).orElse("unauthenticated") + " at "
                + remoteSocket + "]";
    }

    private void opened(Session opened) {
        session = opened;
        remoteSocket = (InetSocketAddress) opened.getRemoteSocketAddress();
        limitMessages(config.limits().maxHandshakeMessageBytes());
        // Binary frames are always refused: no need to gather more of one than the handshake allows.
        opened.setMaxBinaryMessageSize(config.limits().maxHandshakeMessageBytes());
        // A socket Jetty closes for a broken frame waits for the peer's answer no longer than the handshake would.
        opened.setIdleTimeout(config.handshakeTimeout().plus(CLOSE_GRACE));
        heard();
        transmit(handshake.hello());
        handshakeDeadline = schedule(config.handshakeTimeout(),
                () -> apply(current -> current.timedOut(config.handshakeTimeout())));
        schedulePing();
    }

    private void received(String frame) {
        heard();
        fromPeer(current -> {
            try {
                return current.receive(PeerCodec.decode(frame));
            } catch (TurnpikeException refused) {
                return current.rejected(refused);
            }
        });
    }

    private void receivedBinary() {
        heard();
        fromPeer(current -> current.rejected(new TurnpikeException(ErrorCode.MALFORMED_MESSAGE,
                "a binary frame; every message is one JSON text frame")));
    }

    /** Jetty closed the session after a failure: {@code cause} is the peer breaking the protocol, or worse. */
    private void failed(Throwable cause) {
        if (transport.fatalErrors().check(cause)) {
            return;
        }
        if (cause instanceof CloseException && !handshake.isEstablished()) {
            transport.rejectedBeforeHandshake().run();
        }
        log.debug("{} failed: {}", this, cause.toString());
    }

    /** The session closed, from either side. */
    private void socketClosed(int code, String reason) {
        cancel(handshakeDeadline);
        cancel(nextPing);
        PeerHandshake last = handshake;
        authenticated.completeExceptionally(last.failure().orElseGet(() -> new TurnpikeException(
                ErrorCode.UNAUTHENTICATED, "the connection closed before the handshake completed (" + code
                + (reason == null || reason.isEmpty() ? "" : ": " + reason) + ")")));
        closed.complete(null);
        if (last.isEstablished()) {
            guarded("onClosed", () -> listener.onClosed(this));
        }
    }

    /** Input from the peer: a refusal before the handshake completes is counted as garbage. */
    private void fromPeer(Function<PeerHandshake, Step> input) {
        apply(current -> {
            Step step = input.apply(current);
            boolean refused = step.close() || step.send().stream().anyMatch(ErrorMessage.class::isInstance);
            if (refused && !current.isEstablished()) {
                transport.rejectedBeforeHandshake().run();
            }
            return step;
        });
    }

    private void apply(Function<PeerHandshake, Step> input) {
        try {
            carryOut(input);
        } catch (RuntimeException bug) {
            // One connection's bug costs only that connection.
            log.error("closing {} after an internal error", this, bug);
            closeWith(StatusCode.SERVER_ERROR, "internal error");
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
            if (nowEstablished) {
                // Before the next frame is read: from now on the peer may send full-size messages.
                cancel(handshakeDeadline);
                limitMessages(config.limits().maxMessageBytes());
                // Pings keep a live connection busy; this only ends one where nothing moves either way.
                session.setIdleTimeout(config.pingInterval().multipliedBy(2));
            }
            // Sent under the lock, so the peer sees our auth before anything the node sends once established.
            step.send().forEach(this::transmit);
            if (step.close()) {
                closeWith(StatusCode.POLICY_VIOLATION,
                        handshake.failure().map(failure -> failure.code().code()).orElse("closed"));
            }
        }
        if (step.close()) {
            step.next().failure().ifPresent(failure -> {
                log.debug("handshake with {} failed: {}", remoteSocket, failure.toString());
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

    /** Runs a listener callback; its bug is logged here rather than closing the session from inside Jetty. */
    private void guarded(String callback, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException bug) {
            log.error("{} failed for {}", callback, this, bug);
        }
    }

    private void transmit(PeerMessage message) {
        Session current = session;
        if (current == null || !current.isOpen()) {
            log.debug("dropped {} to {}: the connection is closed", message.type(), this);
            return;
        }
        String frame = PeerCodec.encode(message);
        int size = frame.length();
        if (!backlog.reserve(size)) {
            log.info("disconnecting {}: it does not read what it is sent ({} unsent, {} more refused)", this,
                    backlog, message.type());
            current.disconnect();
            return;
        }
        Runnable written = () -> backlog.release(size);
        current.sendText(frame, Callback.from(written, failure -> written.run()));
    }

    private void closeWith(int code, String reason) {
        Session current = session;
        if (current != null) {
            current.close(code, reason, Callback.NOOP);
            // Jetty otherwise holds a socket whose peer never answers the close until the idle timeout, and a peer
            // that goes on sending keeps that from ever passing: the socket is cut once the grace is over.
            current.setIdleTimeout(CLOSE_GRACE);
            schedule(CLOSE_GRACE, current::disconnect);
        }
    }

    private void limitMessages(int bytes) {
        session.setMaxTextMessageSize(bytes);
        session.setMaxFrameSize(bytes);
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    private void schedulePing() {
        nextPing = schedule(config.pingInterval(), this::ping);
    }

    /** Pings, unless the peer has been silent, pongs included, for 1.5 intervals: then it is taken for dead. */
    private void ping() {
        Session current = session;
        if (!current.isOpen()) {
            return;
        }
        Duration silent = Duration.ofNanos(System.nanoTime() - lastHeardNanos);
        if (silent.compareTo(config.pingInterval().multipliedBy(3).dividedBy(2)) > 0) {
            log.debug("disconnecting {}: nothing heard for {} ms, not even a pong", this, silent.toMillis());
            current.disconnect();
            return;
        }
        current.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        schedulePing();
    }

    private Scheduler.Task schedule(Duration delay, Runnable task) {
        return transport.timers().schedule(transport.fatalErrors().guarded(task), delay.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static void cancel(Scheduler.Task task) {
        if (task != null) {
            task.cancel();
        }
    }

    /**
     * Jetty's view of the connection. Public only because Jetty looks its callbacks up on public classes;
     * nothing outside this package can name it, since the enclosing class is package-private.
     */
    public static final class Events implements Session.Listener.AutoDemanding {

        private final WebSocketPeerConnection connection;

        private Events(WebSocketPeerConnection connection) {
            this.connection = connection;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            connection.opened(session);
        }

        @Override
        public void onWebSocketText(String message) {
            connection.received(message);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            callback.succeed();
            connection.receivedBinary();
        }

        @Override
        public void onWebSocketPong(ByteBuffer payload) {
            connection.heard();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            connection.failed(cause);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            connection.socketClosed(statusCode, reason);
            callback.succeed();
        }
    }
}
