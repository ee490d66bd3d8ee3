package io.turnpike.relay;

import io.turnpike.core.Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * Copies bytes both ways between a client and a target until both directions have ended, metering and
 * throttling every chunk. One direction ending is passed on as a half-close; one direction failing
 * closes both sockets, because the other cannot usefully go on.
 */
final class Splice {

    /** Large reads keep the per-chunk costs (throttle, meter, syscalls) negligible at full speed. */
    static final int MAX_CHUNK = 64 * 1024;
    /** Idle connections keep a small buffer; it doubles up to {@link #MAX_CHUNK} while reads fill it. */
    private static final int FIRST_CHUNK = 2 * 1024;

    private final Socket client;
    private final InputStream fromClient;
    private final Socket target;
    private final InputStream fromTarget;
    private final Throttle throttle;
    private final Meter meter;
    private final Address peer;
    private volatile boolean closed;

    Splice(Socket client, InputStream fromClient, Socket target, InputStream fromTarget, Throttle throttle,
           Meter meter, Address peer) {
        this.client = client;
        this.fromClient = fromClient;
        this.target = target;
        this.fromTarget = fromTarget;
        this.throttle = throttle;
        this.meter = meter;
        this.peer = peer;
    }

    /** Relays on this thread and one virtual thread; returns when both are done and both sockets closed. */
    void run() {
        Thread down = Thread.ofVirtual().name("splice-down").start(() -> copy(fromTarget, client, false));
        copy(fromClient, target, true);
        try {
            down.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the sockets are closed below, so the other direction ends too
        } finally {
            close();
        }
    }

    private void copy(InputStream from, Socket to, boolean up) {
        boolean ended = false;
        try {
            OutputStream out = to.getOutputStream();
            byte[] buffer = new byte[FIRST_CHUNK];
            int read;
            while ((read = from.read(buffer)) != -1) {
                for (int sent = 0; sent < read; ) {
                    int granted = (int) throttle.grant(read - sent, this::isClosed);
                    out.write(buffer, sent, granted);
                    sent += granted;
                    // Counted once written: what the meter reports has left the relay.
                    meter.relayed(peer, up ? granted : 0, up ? 0 : granted);
                }
                if (read == buffer.length && buffer.length < MAX_CHUNK) {
                    buffer = new byte[buffer.length * 2];
                }
            }
            to.shutdownOutput();
            ended = true;
        } catch (IOException e) {
            // A reset or a closed socket: the connection is over; closing below tells the other direction.
        } finally {
            if (!ended) {
                close(); // also when the meter throws: no direction may outlive a failure of the other
            }
        }
    }

    private boolean isClosed() {
        return closed || client.isClosed() || target.isClosed();
    }

    private void close() {
        closed = true;
        Acceptor.closeQuietly(client);
        Acceptor.closeQuietly(target);
        throttle.wake();
    }
}
