package io.turnpike.relay;

import io.turnpike.core.accounting.TokenBucket;

/**
 * What all throttled clients together may relay per second: the free tier's total. Each throttled client draws from
 * its own share and from this, so any number of fresh keys, each held to the free rate, still share one bounded
 * rate. Thread-safe; clients at full speed never touch it.
 */
final class ThrottledTotal {

    private final TokenBucket bucket;

    ThrottledTotal(long bytesPerSecond, long nowNanos) {
        this.bucket = new TokenBucket(bytesPerSecond, ClientShare.BURST, nowNanos);
    }

    synchronized long nanosUntil(long wanted, long nowNanos) {
        return bucket.nanosUntil(wanted, nowNanos);
    }

    synchronized long take(long wanted, long nowNanos) {
        return bucket.take(wanted, nowNanos);
    }
}
