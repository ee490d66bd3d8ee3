package io.turnpike.node.daemon;

import io.turnpike.core.Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Real curl through a SOCKS5 proxy (a node's local entry, or a provider's relay with credentials). */
final class Curl {

    private Curl() {
    }

    /** A finished download: curl's exit code (0: it worked), the body bytes it received, what it printed. */
    record Result(int exitCode, long bytes, String errors) {

        boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** SOCKS5 without authentication, host names resolved by the proxy: a node's local entry. */
    static String socks(int port) {
        return "socks5h://127.0.0.1:" + port;
    }

    /** SOCKS5 with RFC 1929 username and password: a provider's relay, as a client authenticates to it. */
    static String socks(int port, Address client, String token) {
        return "socks5h://" + client + ":" + token + "@127.0.0.1:" + port;
    }

    /** Downloads {@code url} through {@code proxy} and reports how it went; never throws for a failed transfer. */
    static Result fetch(String proxy, URI url) {
        Process curl = start(List.of("-o", "/dev/null", "-w", "%{size_download}", "--max-time", "60"), proxy, url);
        try {
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            String err = new String(curl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!curl.waitFor(90, TimeUnit.SECONDS)) {
                curl.destroyForcibly();
                throw new AssertionError("curl did not finish: " + err);
            }
            return new Result(curl.exitValue(), out.isEmpty() ? 0 : Long.parseLong(out), err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while curl ran", e);
        }
    }

    /** Starts downloading {@code url} through {@code proxy}; the test reads how much has arrived, and when. */
    static Download stream(String proxy, URI url) {
        return new Download(start(List.of("-N", "-o", "-"), proxy, url));
    }

    private static Process start(List<String> options, String proxy, URI url) {
        List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--proxy", proxy));
        command.addAll(options);
        command.add(url.toString());
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A download in progress, its bytes counted as curl writes them out. */
    static final class Download implements AutoCloseable {

        private final Process curl;
        private final AtomicLong received = new AtomicLong();

        private Download(Process curl) {
            this.curl = curl;
            Thread.ofPlatform().daemon().name("curl-reader").start(() -> {
                byte[] buffer = new byte[64 * 1024];
                try (InputStream in = curl.getInputStream()) {
                    for (int n; (n = in.read(buffer)) != -1; ) {
                        received.addAndGet(n);
                    }
                } catch (IOException ended) {
                    // curl was stopped
                }
            });
        }

        long bytes() {
            return received.get();
        }

        boolean isRunning() {
            return curl.isAlive();
        }

        @Override
        public void close() {
            curl.destroyForcibly();
        }
    }
}
