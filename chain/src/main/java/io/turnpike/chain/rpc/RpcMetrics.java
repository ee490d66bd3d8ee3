package io.turnpike.chain.rpc;

/**
 * Where the pool reports each request's outcome, per endpoint (its label: scheme, host and port, never a path or
 * query that may carry a key). An optional integration behind a small interface: by default nothing is recorded.
 */
public interface RpcMetrics {

    RpcMetrics NONE = new RpcMetrics() {
    };

    /** {@code endpoint} answered in {@code nanos}. */
    default void answered(String endpoint, long nanos) {
    }

    /** {@code endpoint} failed or was refused; the request moved to the next one. */
    default void failed(String endpoint) {
    }
}
