package io.turnpike.rpc;

import java.time.Duration;

/**
 * What one request may ask of a front. Each bound, when passed, is a JSON-RPC error with a stable code
 * ({@link RpcRefusal}); a request refused by one is not charged.
 *
 * @param maxLogsRange the blocks one {@code eth_getLogs} may span
 * @param maxBatch the calls in one batch
 * @param maxBodyBytes a request's body
 * @param maxResponseBytes an upstream's answer to one request (a batch's answer counts as one); an answer past it is
 *     dropped and the request charged its base cost
 * @param upstreamTimeout how long one upstream has to answer one request before the next is tried
 */
public record RpcLimits(long maxLogsRange, int maxBatch, int maxBodyBytes, int maxResponseBytes,
                        Duration upstreamTimeout) {

    private static final RpcLimits DEFAULTS = new RpcLimits(5_000, 100, 1024 * 1024, 10 * 1024 * 1024,
            Duration.ofSeconds(10));

    public RpcLimits {
        if (maxLogsRange < 1 || maxBatch < 1 || maxBodyBytes < 1 || maxResponseBytes < 1) {
            throw new IllegalArgumentException("every limit is at least 1");
        }
        if (!upstreamTimeout.isPositive()) {
            throw new IllegalArgumentException("the upstream timeout must be positive, got " + upstreamTimeout);
        }
    }

    /** 5000 blocks of logs, 100 calls a batch, 1 MiB of request, 10 MiB of answer, 10 s per upstream. */
    public static RpcLimits defaults() {
        return DEFAULTS;
    }

    public RpcLimits withMaxBatch(int calls) {
        return new RpcLimits(maxLogsRange, calls, maxBodyBytes, maxResponseBytes, upstreamTimeout);
    }

    public RpcLimits withMaxBodyBytes(int bytes) {
        return new RpcLimits(maxLogsRange, maxBatch, bytes, maxResponseBytes, upstreamTimeout);
    }

    public RpcLimits withMaxResponseBytes(int bytes) {
        return new RpcLimits(maxLogsRange, maxBatch, maxBodyBytes, bytes, upstreamTimeout);
    }

    public RpcLimits withUpstreamTimeout(Duration timeout) {
        return new RpcLimits(maxLogsRange, maxBatch, maxBodyBytes, maxResponseBytes, timeout);
    }
}
