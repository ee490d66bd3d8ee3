package io.turnpike.chain;

/** The RPC node answered a request with an error that is not a contract revert. */
public final class ChainRpcException extends RuntimeException {

    private final String method;
    private final String reason;

    public ChainRpcException(String method, String reason) {
        super("JSON-RPC " + method + " failed: " + reason);
        this.method = method;
        this.reason = reason;
    }

    public String method() {
        return method;
    }

    /** The node's own words, as it sent them. */
    public String reason() {
        return reason;
    }
}
