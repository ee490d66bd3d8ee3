package io.turnpike.node;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;

/**
 * A port the node listens on and the setting that chose it, so that a port it cannot have is the operator's to fix:
 * one coded line naming both, whichever server library failed to bind it and however deep it wrapped the cause.
 *
 * @param setting the setting of the port, such as {@code turnpike.peer.port}
 */
public record ListeningPort(String setting, String host, int port) {

    /** Starts a server on this port. */
    @FunctionalInterface
    public interface Server<T> {
        T start() throws IOException;
    }

    /**
     * @throws TurnpikeException {@link ErrorCode#PORT_IN_USE} if another program has the port, {@link ErrorCode#CANNOT_LISTEN} if
     *     it cannot be bound for another reason
     */
    public <T> T start(Server<T> server) {
        try {
            return server.start();
        } catch (IOException | RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof BindException refused) {
                    throw refusal(refused);
                }
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot listen on " + this + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private TurnpikeException refusal(BindException refused) {
        // The JDK words EADDRINUSE this way; other reasons (and other locales) keep the system's own words.
        if (String.valueOf(refused.getMessage()).contains("in use")) {
            return new TurnpikeException(ErrorCode.PORT_IN_USE, this + " is in use by another program (another node?); set "
                    + setting + " to a free port, or stop that program.", refused);
        }
        return new TurnpikeException(ErrorCode.CANNOT_LISTEN, "cannot listen on " + this + ": " + refused.getMessage()
                + ". Choose an address this machine has and a port above 1023, or run with the privilege it needs.",
                refused);
    }

    /** {@code 127.0.0.1:8646 (turnpike.peer.port)} */
    @Override
    public String toString() {
        return host + ":" + port + " (" + setting + ")";
    }
}
