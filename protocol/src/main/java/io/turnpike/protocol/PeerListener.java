package io.turnpike.protocol;

import io.turnpike.core.TurnpikeException;

/**
 * The node's side of its peer connections. Calls for one connection come one at a time, in the order the
 * peer sent its messages, on the connection's I/O thread: a listener that blocks holds up that connection.
 */
public interface PeerListener {

    /** The handshake completed: {@link PeerConnection#remote()} is the peer's proven address. */
    default void onAuthenticated(PeerConnection connection) {
    }

    /**
     * A message from the authenticated peer. Throwing a {@link TurnpikeException} refuses it: the peer is
     * sent an {@code error} with its code and message, and the connection stays up.
     */
    void onMessage(PeerConnection connection, PeerMessage message);

    /** An authenticated connection closed, from either side. */
    default void onClosed(PeerConnection connection) {
    }
}
