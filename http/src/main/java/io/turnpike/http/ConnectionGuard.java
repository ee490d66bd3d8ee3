package io.turnpike.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits a server's connections within {@link HttpLimits#maxConnections()} and
 * {@link HttpLimits#maxConnectionsPerAddress()}, and holds each to its {@link HttpLimits#requestTimeout()}.
 *
 * <p>Jetty reports every connection it opens here once and its close once, so {@link #slots} holds every open
 * connection and the counts are read from it: a few hundred entries at most, scanned once per accepted socket. A
 * connection's deadline runs while the server waits for a request; the server stops it when a request's headers have
 * arrived ({@link #requestArrived}) and starts it again when the answer has gone ({@link #answered}). The body is read
 * against the same deadline by {@link HttpCall}.
 */
final class ConnectionGuard implements Connection.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final HttpLimits limits;
    private final Scheduler scheduler;
    /** Written under its own lock when a connection opens, so two openings cannot both take the last place. */
    private final Map<Connection, Slot> slots = new ConcurrentHashMap<>();

    ConnectionGuard(HttpLimits limits, Scheduler scheduler) {
        this.limits = limits;
        this.scheduler = scheduler;
    }

    /** One connection: where it comes from, whether it was admitted, and its deadline while one runs. */
    final class Slot {
        private final Connection connection;
        private final InetAddress source;
        private final boolean admitted;
        private long deadlineNanos;
        private Scheduler.Task expiry;

        private Slot(Connection connection, InetAddress source, boolean admitted) {
            this.connection = connection;
            this.source = source;
            this.admitted = admitted;
        }

        boolean admitted() {
            return admitted;
        }

        synchronized long deadlineNanos() {
            return deadlineNanos;
        }

        private synchronized void startDeadline() {
            deadlineNanos = System.nanoTime() + limits.requestTimeout().toNanos();
            expiry = scheduler.schedule(this::expire, limits.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }

        private synchronized void stopDeadline() {
            if (expiry != null) {
                expiry.cancel();
                expiry = null;
            }
        }

        /** Closes the connection if its deadline still runs and has passed (a request may have started meanwhile). */
        private synchronized void expire() {
            if (expiry != null && System.nanoTime() - deadlineNanos >= 0) {
                LOG.debug("closing the connection from {}: no complete request within {} ms", source,
                        limits.requestTimeout().toMillis());
                connection.getEndPoint().close();
            }
        }
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress source = ((InetSocketAddress) connection.getEndPoint().getRemoteSocketAddress()).getAddress();
        Slot slot;
        synchronized (slots) {
            slot = new Slot(connection, source, hasRoomFor(source));
            slots.put(connection, slot);
        }
        if (!slot.admitted()) {
            LOG.debug("refusing the connection from {}: at most {} connections, {} per address", source,
                    limits.maxConnections(), limits.maxConnectionsPerAddress());
        }
        // A connection upgraded to WebSocket (the rpc front's and entry's) counts, but reads no more requests: its
        // idle timeout is its own.
        if (connection instanceof ConnectionMetaData) {
            slot.startDeadline();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        Slot slot = slots.remove(connection);
        if (slot != null) {
            slot.stopDeadline();
        }
    }

    /** A request's headers have arrived on {@code connection}: handling it is not on the clock. */
    Slot requestArrived(Connection connection) {
        Slot slot = slots.get(connection);
        slot.stopDeadline();
        return slot;
    }

    /** The answer has gone: the next request is on the clock. */
    void answered(Connection connection) {
        Slot slot = slots.get(connection);
        if (slot != null) {
            slot.startDeadline();
        }
    }

    /** Called with {@link #slots} locked. */
    private boolean hasRoomFor(InetAddress source) {
        int all = 0;
        int fromSource = 0;
        for (Slot other : slots.values()) {
            if (other.admitted()) {
                all++;
                fromSource += other.source.equals(source) ? 1 : 0;
            }
        }
        return all < limits.maxConnections() && fromSource < limits.maxConnectionsPerAddress();
    }
}
