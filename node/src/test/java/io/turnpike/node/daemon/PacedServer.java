package io.turnpike.node.daemon;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A local HTTP server that streams zeros at a steady pace — endlessly, or a given number of bytes — and counts
 * what it served. A paced source makes "full speed" a known figure well above the free tier, and never
 * catches up after a stall, so a burst after a throttle lifts is not mistaken for the relay's rate.
 */
final class PacedServer implements AutoCloseable {

    private static final int CHUNK = 16 * 1024;

    private final HttpServer server;
    private final long bytesPerSecond;
    private final AtomicLong served = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    PacedServer(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor()); // streams run side by side
        server.createContext("/stream", this::stream);
        server.start();
    }

    /** A stream that lasts until the client goes away. */
    URI endless() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/stream");
    }

    /** A body of exactly {@code bytes}. */
    URI body(long bytes) {
        return URI.create(endless() + "?bytes=" + bytes);
    }

    /** Body bytes written to clients (through whatever relay they came). */
    long served() {
        return served.get();
    }

    /** Requests that reached this server. */
    long requests() {
        return requests.get();
    }

    private void stream(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String query = exchange.getRequestURI().getQuery();
        long length = query != null && query.startsWith("bytes=") ? Long.parseLong(query.substring(6)) : -1;
        exchange.sendResponseHeaders(200, length < 0 ? 0 : length); // 0: chunked, until the client leaves
        byte[] chunk = new byte[CHUNK];
        long chunkNanos = CHUNK * 1_000_000_000L / bytesPerSecond;
        long due = System.nanoTime();
        try (OutputStream out = exchange.getResponseBody()) {
            for (long left = length < 0 ? Long.MAX_VALUE : length; left > 0; ) {
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                } else {
                    due = now; // behind after a stall: carry on at the pace, without catching up
                }
                int n = (int) Math.min(CHUNK, left);
                out.write(chunk, 0, n);
                served.addAndGet(n);
                left -= n;
                due += chunkNanos;
            }
        } catch (IOException clientLeft) {
            // The normal end of an endless stream.
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
