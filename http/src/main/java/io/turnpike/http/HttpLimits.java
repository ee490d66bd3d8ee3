package io.turnpike.http;

import java.time.Duration;

/**
 * What one client, or all of them together, may make an HTTP surface ({@link JsonHttpServer}) hold. Every bound
 * answers with a coded JSON refusal where the client can still read one, and closes the connection where it cannot.
 *
 * @param maxRequestHeaderBytes the request line and headers together; more is answered {@code 431}
 *     {@code headers_too_large} ({@code 414} {@code uri_too_long} when the request line alone is longer)
 * @param maxBodyBytes a request body; a longer one is answered {@code 413} {@code body_too_large}, from its
 *     {@code Content-Length} before any of it is read
 * @param requestTimeout from the moment a connection is ready for a request (accepted, or its previous answer sent)
 *     until the request's line, headers and body have all arrived, however slowly they trickle in. A connection
 *     whose headers are not complete by then is closed; one whose body is not is answered {@code 408}
 *     {@code request_timeout}. Handling the request is not counted: some wait for the chain
 * @param idleTimeout no byte moving either way for this long, such as a client that stops reading its answer,
 *     closes the connection
 * @param maxConnections connections served at once; a further one is answered {@code 503} {@code too_many_connections}
 *     and closed. Sockets, refused ones included, are capped at twice this: beyond it the server stops accepting
 *     until one closes
 * @param maxConnectionsPerAddress the same, from one source IP address
 */
public record HttpLimits(int maxRequestHeaderBytes, int maxBodyBytes, Duration requestTimeout, Duration idleTimeout,
                         int maxConnections, int maxConnectionsPerAddress) {

    private static final HttpLimits DEFAULTS = new HttpLimits(8 * 1024, 16 * 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(30), 256, 32);

    public HttpLimits {
        positive("maxRequestHeaderBytes", maxRequestHeaderBytes);
        positive("maxBodyBytes", maxBodyBytes);
        positive("maxConnections", maxConnections);
        positive("maxConnectionsPerAddress", maxConnectionsPerAddress);
        positive("requestTimeout", requestTimeout);
        positive("idleTimeout", idleTimeout);
    }

    /**
     * 8 KiB of request line and headers, 16 KiB of body (every request of the API and the tower is a few fields),
     * 10 s to send a request, 30 s without progress, 256 connections, 32 from one address.
     */
    public static HttpLimits defaults() {
        return DEFAULTS;
    }

    public HttpLimits withMaxRequestHeaderBytes(int bytes) {
        return new HttpLimits(bytes, maxBodyBytes, requestTimeout, idleTimeout, maxConnections,
                maxConnectionsPerAddress);
    }

    public HttpLimits withMaxBodyBytes(int bytes) {
        return new HttpLimits(maxRequestHeaderBytes, bytes, requestTimeout, idleTimeout, maxConnections,
                maxConnectionsPerAddress);
    }

    public HttpLimits withRequestTimeout(Duration timeout) {
        return new HttpLimits(maxRequestHeaderBytes, maxBodyBytes, timeout, idleTimeout, maxConnections,
                maxConnectionsPerAddress);
    }

    public HttpLimits withConnections(int total, int perAddress) {
        return new HttpLimits(maxRequestHeaderBytes, maxBodyBytes, requestTimeout, idleTimeout, total, perAddress);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }

    private static void positive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
