package io.turnpike.relay.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 server on loopback that answers any request with {@code size} zero bytes. It writes
 * from one 1 MiB buffer and does nothing else, so that it is never what a throughput run measures.
 */
final class ByteSource implements AutoCloseable {

    private final ServerSocket server;
    private final long size;

    ByteSource(long size) throws IOException {
        this.size = size;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().name("byte-source").daemon().start(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> respond(socket));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void respond(Socket socket) {
        try (socket) {
            skipRequestHead(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[1 << 20];
            for (long left = size; left > 0; left -= buffer.length) {
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        } catch (IOException e) {
            System.err.println("byte source: " + e);
        }
    }

    /** Reads up to the blank line that ends the request head. */
    private static void skipRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("request ended before its head did");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
