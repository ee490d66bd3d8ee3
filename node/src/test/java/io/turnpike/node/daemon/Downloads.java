package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A local HTTP server with a body of a given size, fetched with real curl through a SOCKS5 proxy. */
public final class Downloads implements AutoCloseable {

    private final HttpServer server;

    public Downloads(int bodyBytes) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/data", exchange -> {
            exchange.sendResponseHeaders(200, bodyBytes);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[bodyBytes]);
            }
        });
        server.start();
    }

    /** Fetches the body through the SOCKS5 proxy on {@code socksPort}; returns the bytes curl received. */
    public long fetchThrough(int socksPort) throws IOException, InterruptedException {
        Process curl = new ProcessBuilder("curl", "-sS", "--socks5-hostname", "127.0.0.1:" + socksPort, "-o", "/dev/null",
                "-w", "%{size_download}", "http://127.0.0.1:" + server.getAddress().getPort() + "/data")
                .redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes()).strip();
        assertThat(curl.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(curl.exitValue()).as(out).isZero();
        return Long.parseLong(out);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** Waits for {@code condition}, polling; fails after {@code timeout}. */
    public static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within %s", timeout).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
