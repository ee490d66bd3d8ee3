package io.turnpike.rpc;

import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * Jetty's listener for every WebSocket of this module (Jetty calls listener methods on public classes only),
 * passing each event to the package-private {@link Side} that handles it. A side that
 * {@link Side#demandsItself() demands itself} gets its next text frame only when it calls {@link Session#demand()};
 * otherwise the next is read at once.
 */
public final class SocketEvents implements Session.Listener {

    /** What one socket does with its events. */
    interface Side {
        default void opened(Session session) {
        }

        void text(String text);

        /** A binary frame; its bytes are valid only during the call. */
        default void binary(ByteBuffer payload) {
        }

        /** The close handshake completes once this returns. */
        void closed(int statusCode, String reason);

        default void failed(Throwable cause) {
        }

        /** Whether the side calls {@link Session#demand()} itself after each text frame. */
        default boolean demandsItself() {
            return false;
        }
    }

    private final Side side;
    private volatile Session session;

    SocketEvents(Side side) {
        this.side = side;
    }

    @Override
    public void onWebSocketOpen(Session opened) {
        session = opened;
        side.opened(opened);
        opened.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        side.text(text);
        if (!side.demandsItself()) {
            session.demand();
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            side.binary(payload);
        } finally {
            callback.succeed();
        }
        session.demand();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        side.failed(cause);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            side.closed(statusCode, reason);
        } finally {
            callback.succeed();
        }
    }
}
