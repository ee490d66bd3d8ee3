package io.turnpike.relay;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The far end of a relayed connection: an HTTP server on 127.0.0.1 and ::1 whose {@code /bytes/N} is N
 * pseudo-random bytes, the same for the same N, so a download is checked by its hash.
 */
final class TestTarget implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpServer ipv4;
    private final HttpServer ipv6;
    private final AtomicInteger requests = new AtomicInteger();

    TestTarget() throws IOException {
        ipv4 = serve("127.0.0.1");
        ipv6 = serve("::1");
    }

    private HttpServer serve(String loopback) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(loopback), 0), 0);
        server.createContext("/bytes/", this::sendBytes);
        server.setExecutor(executor); // concurrent downloads must not queue behind each other
        server.start();
        return server;
    }

    private void sendBytes(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        long size = Long.parseLong(exchange.getRequestURI().getPath().substring("/bytes/".length()));
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
            Body body = new Body(size);
            byte[] chunk = new byte[CHUNK];
            for (int n; (n = body.next(chunk)) > 0; ) {
                out.write(chunk, 0, n);
            }
        }
    }

    /** A URL naming the server by its IPv4 address; the client sends it to the relay as an IPv4 target. */
    String ipv4Url(long size) {
        return "http://127.0.0.1:" + ipv4.getAddress().getPort() + "/bytes/" + size;
    }

    String ipv6Url(long size) {
        return "http://[::1]:" + ipv6.getAddress().getPort() + "/bytes/" + size;
    }

    /** A URL naming the server by domain name; the relay resolves it. */
    String namedUrl(long size) {
        return "http://localhost:" + ipv4.getAddress().getPort() + "/bytes/" + size;
    }

    int ipv4Port() {
        return ipv4.getAddress().getPort();
    }

    /** Requests that reached this server, to prove a refused client got nothing through. */
    int requests() {
        return requests.get();
    }

    static String sha256(long size) {
        MessageDigest digest = sha256();
        Body body = new Body(size);
        byte[] chunk = new byte[CHUNK];
        for (int n; (n = body.next(chunk)) > 0; ) {
            digest.update(chunk, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] chunk = new byte[CHUNK];
            for (int n; (n = in.read(chunk)) > 0; ) {
                digest.update(chunk, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The N bytes of /bytes/N, produced a chunk at a time. */
    private static final class Body {
        private final SplittableRandom random;
        private long remaining;

        Body(long size) {
            this.random = new SplittableRandom(size);
            this.remaining = size;
        }

        int next(byte[] chunk) {
            int n = (int) Math.min(chunk.length, remaining);
            random.nextBytes(chunk);
            remaining -= n;
            return n;
        }
    }

    @Override
    public void close() {
        ipv4.stop(0);
        ipv6.stop(0);
        executor.shutdownNow();
    }
}
