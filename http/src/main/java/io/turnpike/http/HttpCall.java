package io.turnpike.http;

import io.turnpike.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/** One request as a surface sees it. The body is read only when the surface asks, within the server's limits. */
public final class HttpCall {

    private static final String BASIC = "Basic ";

    /** HTTP Basic's user and password; the password is left out of {@link #toString()}, so a log cannot show it. */
    public record BasicCredentials(String user, String password) {
        @Override
        public String toString() {
            return "BasicCredentials[user=" + user + "]";
        }
    }

    private final Request request;
    private final HttpLimits limits;
    private final long deadlineNanos;

    HttpCall(Request request, HttpLimits limits, long deadlineNanos) {
        this.request = request;
        this.limits = limits;
        this.deadlineNanos = deadlineNanos;
    }

    public String method() {
        return request.getMethod();
    }

    /** The path as sent, still percent-encoded. */
    public String path() {
        return request.getHttpURI().getPath();
    }

    /** The query after the path's {@code ?}, as sent, still percent-encoded; empty when there is none. */
    public Optional<String> query() {
        return Optional.ofNullable(request.getHttpURI().getQuery());
    }

    /** The header's first value, or null. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** Every value of the header, one per time it was sent, in order; empty when it was not. */
    public List<String> headerValues(String name) {
        return request.getHeaders().getValuesList(name);
    }

    /** The names of the headers sent, each once, in the order they first came and as the client spelt them. */
    public Set<String> headerNames() {
        Set<String> names = new LinkedHashSet<>();
        request.getHeaders().forEach(field -> names.add(field.getName()));
        return names;
    }

    /** The user and password of an {@code Authorization: Basic} header (RFC 7617); empty without one that decodes. */
    public Optional<BasicCredentials> basicCredentials() {
        return basicCredentials(header("Authorization"));
    }

    /** The user and password of an {@code Authorization} header's value, as {@link #basicCredentials()} reads it. */
    public static Optional<BasicCredentials> basicCredentials(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            return Optional.empty();
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(BASIC.length()).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = credentials.indexOf(':');
        return colon < 0 ? Optional.empty()
                : Optional.of(new BasicCredentials(credentials.substring(0, colon), credentials.substring(colon + 1)));
    }

    /**
     * The whole body, at most {@link HttpLimits#maxBodyBytes()}, once it has arrived within the request's deadline.
     *
     * @throws HttpRefusal {@code 413 body_too_large}, {@code 408 request_timeout}, {@code 400 bad_request} for a body
     *     broken off, {@code 503 stopping} while the server stops; the server answers it
     */
    public byte[] body() throws HttpRefusal {
        if (request.getLength() > limits.maxBodyBytes()) {
            throw tooLarge();
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                awaitMore();
                continue;
            }
            try {
                if (Content.Chunk.isFailure(chunk)) {
                    throw new HttpRefusal(ErrorCode.BAD_REQUEST, "the body could not be read: "
                            + chunk.getFailure().getMessage());
                }
                // Chunked bodies have no length to check up front: counted as they come.
                ByteBuffer bytes = chunk.getByteBuffer();
                if (body.size() + bytes.remaining() > limits.maxBodyBytes()) {
                    throw tooLarge();
                }
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                body.writeBytes(copy);
                if (chunk.isLast()) {
                    return body.toByteArray();
                }
            } finally {
                chunk.release();
            }
        }
    }

    /** Blocks this (virtual) thread until more of the body has arrived, or until the request's deadline. */
    private void awaitMore() throws HttpRefusal {
        CountDownLatch more = new CountDownLatch(1);
        request.demand(more::countDown);
        try {
            if (!more.await(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                throw new HttpRefusal(ErrorCode.REQUEST_TIMEOUT, "the request did not arrive whole within "
                        + limits.requestTimeout().toMillis() + " ms; send it again at once, all of it");
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            throw new HttpRefusal(ErrorCode.STOPPING, "the server is stopping; send the request again once "
                    + "it is back");
        }
    }

    private HttpRefusal tooLarge() {
        return new HttpRefusal(ErrorCode.BODY_TOO_LARGE, "the body is over " + limits.maxBodyBytes()
                + " bytes, the most this server reads; send less at once");
    }
}
