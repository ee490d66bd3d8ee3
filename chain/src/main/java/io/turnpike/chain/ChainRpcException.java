package io.turnpike.chain;

/** The RPC node answered a request with an error that is not a contract revert. */
public final class ChainRpcException extends RuntimeException {

    private final String method;

    public ChainRpcException(String method, String message) {
        super("JSON-RPC " + method + " failed: " + message);
        this.method = method;
    }

    public String method() {
        return method;
    }
}
