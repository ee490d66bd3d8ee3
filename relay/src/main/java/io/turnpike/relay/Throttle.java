package io.turnpike.relay;

import java.io.IOException;
import java.util.function.BooleanSupplier;

/** Decides how many bytes a connection may pass on now, blocking until it may pass some. */
interface Throttle {

    /** No limit: the local entry forwards at whatever speed the relay grants. */
    Throttle NONE = (wanted, cancelled) -> wanted;

    /**
     * Blocks until at least one byte may pass; returns how many of {@code wanted} may pass now. Fails once
     * {@code cancelled} holds, so that a stalled connection ends when its sockets are closed.
     */
    long grant(long wanted, BooleanSupplier cancelled) throws IOException;

    /** Makes blocked {@link #grant} calls look at {@code cancelled} again. */
    default void wake() {
    }
}
