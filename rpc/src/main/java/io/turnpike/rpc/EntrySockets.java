package io.turnpike.rpc;

import io.turnpike.http.JsonHttpServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry's WebSocket JSON-RPC, on its port: a program's connection ({@code ws://127.0.0.1:PORT}) is paired with one
 * to the provider's front, logged in with the session current when it opened. Frames go to the front as the program
 * sent them, each once the entry's estimate of its buffer holds its maximum cost, as an HTTP request waits; the
 * front's come back with what it charged taken out of their {@link Sockets envelope} and metered — units at the
 * price, per call and per notification — so the node pays exactly that. When either side closes, so
 * does the other (the front then ends the connection's subscriptions upstream).
 */
final class EntrySockets implements JsonHttpServer.Upgrades {

    private static final Logger LOG = LoggerFactory.getLogger(EntrySockets.class);
    /** A program's frame: as large as the HTTP body the entry takes. */
    private static final int MAX_PROGRAM_FRAME = 16 * 1024 * 1024;
    /** The front's frame: as large as an HTTP answer the entry takes. */
    private static final int MAX_FRONT_FRAME = 64 * 1024 * 1024;
    /** The front closes an idle connection (its own limit); the entry keeps its side open until it does. */
    private static final Duration IDLE = Duration.ofHours(1);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Supplier<Optional<RpcRoute>> routes;
    private final RpcMeter meter;
    private final BufferEstimate estimate;

    EntrySockets(Supplier<Optional<RpcRoute>> routes, RpcMeter meter, BufferEstimate estimate) {
        this.routes = routes;
        this.meter = meter;
        this.estimate = estimate;
    }

    @Override
    public Handler.Singleton handler(Server server) {
        return WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(MAX_PROGRAM_FRAME);
            container.setMaxBinaryMessageSize(MAX_PROGRAM_FRAME);
            container.setIdleTimeout(IDLE);
            container.addMapping("/*", (request, response, callback) -> {
                Optional<RpcRoute> route = routes.get();
                if (route.isEmpty()) {
                    return Sockets.refuse(response, callback, RpcRefusal.NO_SESSION, "this node has no rpc session "
                            + "with its provider now; try again in a few seconds");
                }
                Pair pair = new Pair(route.get());
                try {
                    pair.connect();
                } catch (IOException e) {
                    LOG.info("the provider's rpc front did not take a WebSocket: {}", e.getMessage());
                    return Sockets.refuse(response, callback, RpcRefusal.PROVIDER_UNREACHABLE, "the provider's rpc "
                            + "front did not take a WebSocket (" + e.getMessage() + "); try again, or check the "
                            + "provider with `turnpike peers`");
                }
                response.setExtensions(List.of());
                return new SocketEvents(pair.program);
            });
        });
    }

    /** A program's connection and the entry's to the front, for it. */
    private final class Pair {
        final RpcRoute route;
        final ProgramSide program = new ProgramSide();
        final FrontSide front = new FrontSide();
        volatile Session programSession;
        volatile Session frontSession;
        final CompletableFuture<Void> frontClosed = new CompletableFuture<>();
        /**
         * What each frame sent reserved of the estimate, oldest first: the front answers a connection's frames in the
         * order they came, so each answer settles the oldest. A frame that draws no answer (only JSON-RPC
         * notifications) is not queued: its reservation stays taken until the front's next figure corrects it.
         */
        final Queue<Long> reserved = new ConcurrentLinkedQueue<>();

        Pair(RpcRoute route) {
            this.route = route;
        }

        void connect() throws IOException {
            ClientUpgradeRequest request = new ClientUpgradeRequest(Sockets.socketOf(route.front()));
            request.setHeader("Authorization", route.authorization());
            request.setTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            try {
                Session session = Sockets.client().connect(new SocketEvents(front), request)
                        .get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                session.setMaxTextMessageSize(MAX_FRONT_FRAME);
                session.setIdleTimeout(IDLE);
                frontSession = session;
            } catch (ExecutionException e) {
                throw new IOException(e.getCause() == null ? e.getMessage() : e.getCause().getMessage(), e);
            } catch (TimeoutException e) {
                throw new IOException("no answer within " + CONNECT_TIMEOUT.toSeconds() + " s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("the node is stopping", e);
            }
        }

        /** The program's frames, to the front as they are. */
        final class ProgramSide implements SocketEvents.Side {
            @Override
            public void opened(Session session) {
                programSession = session;
            }

            /**
             * Waits, as an HTTP request does, until the entry's estimate of its buffer holds the frame's maximum cost
             * (reading the program's next frame waits with it), then sends it on.
             */
            @Override
            public void text(String text) {
                byte[] frame = text.getBytes(StandardCharsets.UTF_8);
                try {
                    BufferEstimate.Reservation reservation = estimate.awaitRoom(frame, route.costs());
                    if (reservation.answered()) {
                        reserved.add(reservation.units());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                frontSession.sendText(text, Callback.NOOP);
            }

            @Override
            public void binary(ByteBuffer payload) {
                ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
                frontSession.sendBinary(copy, Callback.NOOP);
            }

            /**
             * Closes the front's side and waits, bounded, for it to be closed: the front ends the connection's
             * subscriptions before it answers the close, so a program that saw its close complete may count on it.
             */
            @Override
            public void closed(int statusCode, String reason) {
                close(frontSession, statusCode, reason);
                try {
                    frontClosed.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException notConfirmed) {
                    LOG.debug("the front did not confirm a WebSocket's close in time");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** The front's frames: metered, out of their envelope, to the program. */
        final class FrontSide implements SocketEvents.Side {
            @Override
            public void text(String text) {
                byte[] frame = text.getBytes(StandardCharsets.UTF_8);
                Optional<Sockets.Opened> opened = Sockets.open(frame);
                String message = text;
                long cost = 0;
                if (opened.isPresent()) {
                    Sockets.Opened charged = opened.get();
                    cost = charged.cost();
                    if (cost > 0) {
                        meter.charged(route.provider(), cost, charged.price());
                    }
                    frame = charged.message();
                    message = new String(frame, StandardCharsets.UTF_8);
                    if (Arrays.equals(frame, Sockets.NO_MESSAGE)) {
                        estimate.reported(charged.buffer()); // calls without an id: charged, nothing to answer
                        return;
                    }
                }
                if (!isNotification(frame)) {
                    Long answered = reserved.poll();
                    estimate.settle(answered == null ? 0 : answered, cost);
                }
                opened.ifPresent(charged -> estimate.reported(charged.buffer()));
                Session session = programSession;
                if (session != null) {
                    session.sendText(message, Callback.NOOP);
                }
            }

            @Override
            public void closed(int statusCode, String reason) {
                frontClosed.complete(null);
                close(programSession, statusCode, reason);
            }
        }
    }

    /** Whether the front's message is a notification (a subscription's, or the front's own notice), not an answer. */
    private static boolean isNotification(byte[] message) {
        try {
            JsonSlices.Range root = JsonSlices.root(message);
            return message[root.start()] == '{' && JsonSlices.member(message, root, "method").isPresent();
        } catch (RuntimeException notJson) {
            return false; // the program is answered with it as it came; it settles a frame like any answer
        }
    }

    /** Closes the other side as this one closed; a close that was not sent (1006: the connection broke) as 1001. */
    private static void close(Session session, int statusCode, String reason) {
        if (session != null && session.isOpen()) {
            boolean sendable = StatusCode.isTransmittable(statusCode);
            session.close(sendable ? statusCode : StatusCode.SHUTDOWN, sendable ? reason : "the other side went away",
                    Callback.NOOP);
        }
    }
}
