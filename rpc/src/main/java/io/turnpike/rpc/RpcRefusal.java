package io.turnpike.rpc;

import io.turnpike.core.ErrorCode;

/**
 * Every error a front or an entry answers with itself, as opposed to the upstream's own errors, which are passed on
 * untouched: an {@link ErrorCode} in JSON-RPC's form. Each is a JSON-RPC error whose {@code data} carries the stable
 * code: {@code {"code": -32601, "message": "…", "data": {"turnpike": "method_not_served"}}}. A refusal of the HTTP
 * request as a whole is answered at its code's HTTP status; a refused call is answered as JSON-RPC answers every call,
 * at {@code 200} (inside a batch, one element of it).
 */
public enum RpcRefusal {
    PARSE_ERROR(ErrorCode.MALFORMED_BODY, -32700, Scope.CALL),
    INVALID_REQUEST(ErrorCode.INVALID_REQUEST, -32600, Scope.CALL),
    NOT_POST(ErrorCode.METHOD_NOT_ALLOWED, -32600, Scope.REQUEST),
    METHOD_NOT_SERVED(ErrorCode.METHOD_NOT_SERVED, -32601, Scope.CALL),
    INVALID_PARAMS(ErrorCode.INVALID_PARAMS, -32602, Scope.CALL),
    RANGE_TOO_WIDE(ErrorCode.RANGE_TOO_WIDE, -32005, Scope.CALL),
    BATCH_TOO_LARGE(ErrorCode.BATCH_TOO_LARGE, -32005, Scope.CALL),
    BODY_TOO_LARGE(ErrorCode.BODY_TOO_LARGE, -32005, Scope.REQUEST),
    RESPONSE_TOO_LARGE(ErrorCode.RESPONSE_TOO_LARGE, -32005, Scope.CALL),
    /** The client's buffer does not hold the request's maximum cost now; it will after {@code Retry-After}. */
    OVER_CAPACITY(ErrorCode.OVER_CAPACITY, -32005, Scope.REQUEST),
    /** The request's maximum cost is more than the client's buffer can ever hold: waiting would not help. */
    EXCEEDS_BUFFER(ErrorCode.EXCEEDS_BUFFER, -32005, Scope.CALL),
    UNAUTHENTICATED(ErrorCode.UNAUTHENTICATED, -32000, Scope.REQUEST),
    /** Over a WebSocket: an {@code eth_subscribe} past the subscriptions a client may hold. */
    TOO_MANY_SUBSCRIPTIONS(ErrorCode.TOO_MANY_SUBSCRIPTIONS, -32005, Scope.CALL),
    /** Over a WebSocket: notifications were dropped, unpaid and unsent, while the client's buffer was empty. */
    NOTIFICATIONS_DROPPED(ErrorCode.NOTIFICATIONS_DROPPED, -32005, Scope.CALL),
    /** Over a WebSocket: an {@code eth_unsubscribe} of a subscription the connection does not hold. */
    UNKNOWN_SUBSCRIPTION(ErrorCode.UNKNOWN_SUBSCRIPTION, -32602, Scope.CALL),
    UPSTREAM_UNAVAILABLE(ErrorCode.UPSTREAM_UNAVAILABLE, -32002, Scope.CALL),
    UPSTREAM_TIMEOUT(ErrorCode.UPSTREAM_TIMEOUT, -32002, Scope.CALL),
    UPSTREAM_BAD_ANSWER(ErrorCode.UPSTREAM_BAD_ANSWER, -32603, Scope.CALL),
    /** A failure of the front's own; its log says what. */
    INTERNAL(ErrorCode.INTERNAL, -32603, Scope.REQUEST),
    /** At an entry: no session with the provider yet (connecting, or its channel is being opened). */
    NO_SESSION(ErrorCode.NO_SESSION, -32002, Scope.REQUEST),
    /** At an entry: the provider's front could not be reached or gave no answer. */
    PROVIDER_UNREACHABLE(ErrorCode.PROVIDER_UNREACHABLE, -32002, Scope.REQUEST),
    // With BODY_TOO_LARGE and INTERNAL, the HTTP server's own refusals (of(ErrorCode)); it closes the connection.
    HEADERS_TOO_LARGE(ErrorCode.HEADERS_TOO_LARGE, -32005, Scope.REQUEST),
    URI_TOO_LONG(ErrorCode.URI_TOO_LONG, -32005, Scope.REQUEST),
    /** Not HTTP/1.1 the server reads, or a body broken off. */
    BAD_REQUEST(ErrorCode.BAD_REQUEST, -32600, Scope.REQUEST),
    /** The body did not arrive whole within the request timeout. */
    REQUEST_TIMEOUT(ErrorCode.REQUEST_TIMEOUT, -32005, Scope.REQUEST),
    TOO_MANY_CONNECTIONS(ErrorCode.TOO_MANY_CONNECTIONS, -32005, Scope.REQUEST),
    /** The front or the entry stopped while reading the request. */
    STOPPING(ErrorCode.STOPPING, -32002, Scope.REQUEST);

    /** What a refusal refuses: one call (answered at 200, as JSON-RPC answers calls) or the HTTP request itself. */
    private enum Scope { CALL, REQUEST }

    private final ErrorCode code;
    private final int jsonRpcCode;
    private final Scope scope;

    RpcRefusal(ErrorCode code, int jsonRpcCode, Scope scope) {
        this.code = code;
        this.jsonRpcCode = jsonRpcCode;
        this.scope = scope;
    }

    /** The stable code, in the error's {@code data.turnpike}. */
    public ErrorCode code() {
        return code;
    }

    /** The JSON-RPC error code (EIP-1474's where one fits). */
    public int jsonRpcCode() {
        return jsonRpcCode;
    }

    public int httpStatus() {
        return scope == Scope.CALL ? 200 : code.httpStatus();
    }

    /** How the front and the entry answer a refusal their HTTP server makes itself. */
    static RpcRefusal of(ErrorCode serverRefusal) {
        for (RpcRefusal refusal : values()) {
            if (refusal.code == serverRefusal && refusal.scope == Scope.REQUEST) {
                return refusal;
            }
        }
        return INTERNAL;
    }
}
