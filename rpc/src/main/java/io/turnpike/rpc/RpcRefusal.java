package io.turnpike.rpc;

import io.turnpike.http.ServerRefusal;

/**
 * Every error a front or an entry answers with itself, as opposed to the upstream's own errors, which are passed on
 * untouched. Each is a JSON-RPC error whose {@code data} carries the stable code:
 * {@code {"code": -32601, "message": "…", "data": {"turnpike": "rpc.method_not_allowed"}}}. The HTTP status applies
 * when the refusal is the whole answer; a refused call inside a batch is one element of a {@code 200} answer.
 */
public enum RpcRefusal {
    PARSE_ERROR("rpc.parse_error", -32700, 200),
    INVALID_REQUEST("rpc.invalid_request", -32600, 200),
    NOT_POST("rpc.not_post", -32600, 405),
    METHOD_NOT_ALLOWED("rpc.method_not_allowed", -32601, 200),
    INVALID_PARAMS("rpc.invalid_params", -32602, 200),
    RANGE_TOO_WIDE("rpc.range_too_wide", -32005, 200),
    BATCH_TOO_LARGE("rpc.batch_too_large", -32005, 200),
    BODY_TOO_LARGE("rpc.body_too_large", -32005, 413),
    RESPONSE_TOO_LARGE("rpc.response_too_large", -32005, 200),
    /** The client's buffer does not hold the request's maximum cost now; it will after {@code Retry-After}. */
    OVER_CAPACITY("rpc.over_capacity", -32005, 429),
    /** The request's maximum cost is more than the client's buffer can ever hold: waiting would not help. */
    EXCEEDS_BUFFER("rpc.exceeds_buffer", -32005, 200),
    UNAUTHORIZED("rpc.unauthorized", -32000, 401),
    UPSTREAM_UNAVAILABLE("rpc.upstream_unavailable", -32002, 200),
    UPSTREAM_TIMEOUT("rpc.upstream_timeout", -32002, 200),
    UPSTREAM_BAD_ANSWER("rpc.upstream_bad_answer", -32603, 200),
    /** A failure of the front's own; its log says what. */
    INTERNAL("rpc.internal", -32603, 500),
    /** At an entry: no session with the provider yet (connecting, or its channel is being opened). */
    NO_SESSION("rpc.no_session", -32002, 503),
    /** At an entry: the provider's front could not be reached or gave no answer. */
    PROVIDER_UNREACHABLE("rpc.provider_unreachable", -32002, 502),
    // With BODY_TOO_LARGE and INTERNAL, the HTTP server's own refusals (of(ServerRefusal)); it closes the connection.
    HEADERS_TOO_LARGE("rpc.headers_too_large", -32005, 431),
    URI_TOO_LONG("rpc.uri_too_long", -32005, 414),
    /** Not HTTP/1.1 the server reads, or a body broken off. */
    BAD_REQUEST("rpc.bad_request", -32600, 400),
    /** The body did not arrive whole within the request timeout. */
    REQUEST_TIMEOUT("rpc.request_timeout", -32005, 408),
    TOO_MANY_CONNECTIONS("rpc.too_many_connections", -32005, 503),
    /** The front or the entry stopped while reading the request. */
    STOPPING("rpc.stopping", -32002, 503);

    private final String code;
    private final int jsonRpcCode;
    private final int httpStatus;

    RpcRefusal(String code, int jsonRpcCode, int httpStatus) {
        this.code = code;
        this.jsonRpcCode = jsonRpcCode;
        this.httpStatus = httpStatus;
    }

    /** The stable code, in the error's {@code data.turnpike}. */
    public String code() {
        return code;
    }

    /** The JSON-RPC error code (EIP-1474's where one fits). */
    public int jsonRpcCode() {
        return jsonRpcCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** How the front and the entry answer a refusal their HTTP server makes itself. */
    static RpcRefusal of(ServerRefusal refusal) {
        return switch (refusal) {
            case HEADERS_TOO_LARGE -> RpcRefusal.HEADERS_TOO_LARGE;
            case URI_TOO_LONG -> RpcRefusal.URI_TOO_LONG;
            case BAD_REQUEST -> RpcRefusal.BAD_REQUEST;
            case BODY_TOO_LARGE -> RpcRefusal.BODY_TOO_LARGE;
            case REQUEST_TIMEOUT -> RpcRefusal.REQUEST_TIMEOUT;
            case TOO_MANY_CONNECTIONS -> RpcRefusal.TOO_MANY_CONNECTIONS;
            case STOPPING -> RpcRefusal.STOPPING;
            case INTERNAL -> RpcRefusal.INTERNAL;
        };
    }
}
