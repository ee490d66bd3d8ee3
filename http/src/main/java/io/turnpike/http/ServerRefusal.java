package io.turnpike.http;

/**
 * The refusals {@link JsonHttpServer} makes itself, before or while a surface reads a request, whatever the surface.
 * Each surface writes them as it writes its own refusals ({@link JsonHttpServer.RefusalFormat}); {@link #reason()} is
 * the code without a surface's prefix.
 */
public enum ServerRefusal {
    /** The request line and headers are over {@link HttpLimits#maxRequestHeaderBytes()} together. */
    HEADERS_TOO_LARGE("headers_too_large"),
    /** The request line alone is over {@link HttpLimits#maxRequestHeaderBytes()}. */
    URI_TOO_LONG("uri_too_long"),
    /** Not HTTP/1.1 the server reads, or a body broken off. */
    BAD_REQUEST("bad_request"),
    /** A body over {@link HttpLimits#maxBodyBytes()}. */
    BODY_TOO_LARGE("body_too_large"),
    /** A body not whole within {@link HttpLimits#requestTimeout()}. */
    REQUEST_TIMEOUT("request_timeout"),
    /**
     * The connection is one more than {@link HttpLimits#maxConnections()}, or
     * {@link HttpLimits#maxConnectionsPerAddress()}, allow.
     */
    TOO_MANY_CONNECTIONS("too_many_connections"),
    /** The server stopped while the body was being read. */
    STOPPING("stopping"),
    /** The surface failed in a way it did not catch. */
    INTERNAL("internal");

    private final String reason;

    ServerRefusal(String reason) {
        this.reason = reason;
    }

    /** {@code body_too_large}: the node's API writes it {@code api.body_too_large}, the watchtower's as it is. */
    public String reason() {
        return reason;
    }
}
