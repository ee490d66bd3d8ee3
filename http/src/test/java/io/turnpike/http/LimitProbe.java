package io.turnpike.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A client that meets an HTTP surface's {@link HttpLimits} at their boundaries: raw HTTP/1.1 over plain sockets, so
 * every byte a limit counts is one the test wrote, and a connection cut off shows as what it is. Used against the
 * node's API and the watchtower's.
 */
public final class LimitProbe {

    /** Longer than any deadline a test configures: a probe that waits this long has found a bug. */
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    /**
     * What came back on one connection before the server closed it.
     *
     * @param status 0 when the server closed the connection without answering
     * @param code the JSON body's {@code code}, or "" without one
     */
    public record Answer(int status, String code) {

        static Answer of(String text) {
            if (text.isEmpty()) {
                return new Answer(0, "");
            }
            int status = Integer.parseInt(text.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
            int body = text.indexOf("\r\n\r\n") + 4;
            JsonNode json = text.length() > body && text.charAt(body) == '{'
                    ? JsonObjectReader.MAPPER.readTree(text.substring(body)) : null;
            return new Answer(status, json == null ? "" : json.path("code").asString());
        }
    }

    private final InetSocketAddress target;
    private final String headers;

    /** @param headers header lines every request carries, each ending in CRLF (the API's Authorization) */
    public LimitProbe(InetSocketAddress target, String headers) {
        this.target = target;
        this.headers = headers;
    }

    /** A GET on a connection of its own. */
    public Answer get(String path) {
        return exchange(head("GET", path, ""));
    }

    /** A GET whose request line, headers and the blank line closing them are {@code bytes} long, exactly. */
    public Answer getWithHeadOf(String path, int bytes) {
        String unpadded = head("GET", path, "X-Pad: \r\n");
        if (unpadded.length() > bytes) {
            throw new IllegalArgumentException("a request to " + path + " takes " + unpadded.length() + " bytes");
        }
        return exchange(head("GET", path, "X-Pad: " + "p".repeat(bytes - unpadded.length()) + "\r\n"));
    }

    /** A POST of {@code json} followed by spaces, {@code bytes} long exactly, with its Content-Length. */
    public Answer postWithBodyOf(String path, String json, int bytes) {
        if (json.length() > bytes) {
            throw new IllegalArgumentException("the body is " + json.length() + " bytes already");
        }
        return exchange(head("POST", path, "Content-Type: application/json\r\nContent-Length: " + bytes + "\r\n")
                + json + " ".repeat(bytes - json.length()));
    }

    /** Sends the beginning of a request and never the rest; answers what the server did about it. */
    public Answer sendOnly(String start) {
        return exchange(start.replace("{headers}", headers));
    }

    /**
     * Sends a GET one byte at a time, {@code pause} apart (below any idle timeout), until the server answers or
     * closes the connection; answers what it did.
     */
    public Answer trickle(String path, Duration pause) {
        String request = head("GET", path, "");
        try (Socket socket = connect()) {
            PushbackInputStream in = new PushbackInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            for (int sent = 0; sent < request.length() && !answeredOrClosed(socket, in, pause); sent++) {
                try {
                    out.write(request.charAt(sent));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
            }
            return Answer.of(readUntilClosed(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connections that each had one request to {@code path} answered and are kept open (keep-alive) as long as the
     * caller keeps them: admitted, and known to the server before this returns.
     */
    public List<Socket> hold(int connections, String path) {
        String request = head("GET", path, "").replace("Connection: close\r\n", "");
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Socket socket = connect();
            held.add(socket);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                Answer answer = Answer.of(readOneAnswer(socket.getInputStream()));
                if (answer.status() != 200) {
                    throw new AssertionError("connection " + (i + 1) + " to hold was answered " + answer);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return held;
    }

    private String head(String method, String path, String more) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + target.getHostString() + "\r\nConnection: close\r\n"
                + headers + more + "\r\n";
    }

    private Answer exchange(String request) {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return Answer.of(readUntilClosed(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Socket connect() {
        try {
            Socket socket = new Socket(target.getAddress(), target.getPort());
            socket.setSoTimeout(Math.toIntExact(PATIENCE.toMillis()));
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One answer on a connection that stays open: its head, and a body as long as its Content-Length. */
    private static String readOneAnswer(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("the server closed the connection in the middle of an answer: " + head);
            }
            head.append((char) c);
        }
        int length = head.toString().lines()
                .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                .mapToInt(line -> Integer.parseInt(line.substring(15).strip())).findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** Everything the server sends until it closes; a reset after an answer keeps the answer. */
    private static String readUntilClosed(InputStream in) throws IOException {
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        try {
            for (int read; (read = in.read(buffer)) >= 0; ) {
                text.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open for " + PATIENCE.toSeconds() + " s", e);
        } catch (IOException reset) {
            // A reset after the answer leaves the answer read; one before it leaves nothing, as a silent close does.
        }
        return text.toString();
    }

    /** Waits {@code wait} for the server to close the connection or say anything: the pace of a trickle. */
    private static boolean answeredOrClosed(Socket socket, PushbackInputStream in, Duration wait) throws IOException {
        socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
        try {
            int first = in.read();
            if (first >= 0) {
                in.unread(first);
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout(Math.toIntExact(PATIENCE.toMillis()));
        }
    }
}
