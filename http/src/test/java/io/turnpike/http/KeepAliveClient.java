package io.turnpike.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * POSTs over one HTTP/1.1 connection kept open between them, for a fuzz campaign's millions of requests: the JDK's
 * {@code HttpClient} spends about a millisecond a request on its own machinery, several times what the server under
 * test does. A connection the server closed (as it may after a refusal) is opened again; a request is sent a second
 * time only when a kept connection turned out closed before any of its answer arrived, as browsers do.
 */
public final class KeepAliveClient implements AutoCloseable {

    private static final int PATIENCE_MILLIS = 20_000;

    /** An answer: its status and its body's bytes. */
    public record Answer(int status, byte[] body) {
    }

    private final InetSocketAddress target;
    private final String headers;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param headers header lines every request carries, each ending in CRLF (an Authorization, a Content-Type) */
    public KeepAliveClient(URI base, String headers) {
        this.target = new InetSocketAddress(base.getHost(), base.getPort());
        this.headers = headers;
    }

    public synchronized Answer post(String path, byte[] body) {
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + "\r\n" + headers
                + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        boolean reused = socket != null;
        try {
            return exchange(head, body);
        } catch (IOException closed) {
            disconnect();
            if (!reused) {
                throw new UncheckedIOException(closed);
            }
        }
        try {
            return exchange(head, body);
        } catch (IOException e) {
            disconnect();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void close() {
        disconnect();
    }

    private Answer exchange(byte[] head, byte[] body) throws IOException {
        if (socket == null) {
            socket = new Socket(target.getAddress(), target.getPort());
            socket.setSoTimeout(PATIENCE_MILLIS);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
        byte[] request = new byte[head.length + body.length];
        System.arraycopy(head, 0, request, 0, head.length);
        System.arraycopy(body, 0, request, head.length, body.length);
        out.write(request);
        out.flush();
        String[] lines = readHead().split("\r\n");
        int status = Integer.parseInt(lines[0].substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
        long length = -1;
        boolean chunked = false;
        boolean closes = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).strip().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" -> closes = value.contains("close");
                default -> {
                }
            }
        }
        byte[] answer = chunked ? readChunks() : length >= 0 ? readExactly(Math.toIntExact(length)) : in.readAllBytes();
        if (closes || (!chunked && length < 0)) {
            disconnect();
        }
        return new Answer(status, answer);
    }

    /** The status line and headers, up to the blank line; IOException if the connection closes first. */
    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the server closed the connection before its answer ended: " + head);
            }
            head.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : c == '\r' ? 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1).strip();
    }

    private byte[] readChunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size; (size = Integer.parseInt(readLine().split(";")[0].strip(), 16)) > 0; ) {
            body.write(readExactly(size));
            readLine();
        }
        String trailer;
        do {
            trailer = readLine(); // none of these servers sends trailers; read to the blank line that ends them
        } while (!trailer.isEmpty());
        return body.toByteArray();
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("the server closed the connection inside a chunked body");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private byte[] readExactly(int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new IOException("the server closed the connection " + bytes.length + " bytes into a " + length
                    + "-byte body");
        }
        return bytes;
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that was asked
            }
            socket = null;
        }
    }
}
