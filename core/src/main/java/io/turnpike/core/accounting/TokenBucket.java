package io.turnpike.core.accounting;

/**
 * A token bucket for throttling a byte stream: {@code ratePerSecond} tokens accrue continuously up to
 * {@code capacity}. Time is passed in (nanoseconds from any fixed origin), so tests drive it exactly.
 * Integer arithmetic with a carried remainder, so no fraction of a token is ever lost or invented.
 * Not thread-safe: one bucket per client connection direction, or guarded by its owner.
 */
public final class TokenBucket {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    public static final long MAX_CAPACITY = Long.MAX_VALUE / NANOS_PER_SECOND;

    private long ratePerSecond;
    private final long capacity;
    private long tokens;
    private long carry; // token-nanoseconds accrued but not yet a whole token
    private long lastNanos;

    public TokenBucket(long ratePerSecond, long capacity, long nowNanos) {
        // The capacity bound keeps token-nanosecond products within a long.
        if (ratePerSecond < 0 || capacity <= 0 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("rate must be >= 0 and capacity within 1.." + MAX_CAPACITY);
        }
        this.ratePerSecond = ratePerSecond;
        this.capacity = capacity;
        this.tokens = capacity;
        this.lastNanos = nowNanos;
    }

    /** Takes up to {@code wanted} tokens; returns how many were granted (possibly 0). */
    public long take(long wanted, long nowNanos) {
        refill(nowNanos);
        long granted = Math.min(wanted, tokens);
        tokens -= granted;
        return granted;
    }

    /**
     * Returns {@code tokens} taken earlier and not used — a request charged its maximum cost that turned out to cost
     * less — never filling the bucket beyond its capacity.
     */
    public void giveBack(long tokens, long nowNanos) {
        if (tokens < 0) {
            throw new IllegalArgumentException("only tokens taken can be given back, got " + tokens);
        }
        refill(nowNanos);
        this.tokens = Math.min(capacity, this.tokens + tokens);
        carry = this.tokens == capacity ? 0 : carry;
    }

    /** Nanoseconds until at least {@code wanted} tokens (at most the capacity) are available; -1 if never (rate 0). */
    public long nanosUntil(long wanted, long nowNanos) {
        refill(nowNanos);
        long missing = Math.min(wanted, capacity) - tokens;
        if (missing <= 0) {
            return 0;
        }
        if (ratePerSecond == 0) {
            return -1;
        }
        return Math.ceilDiv(missing * NANOS_PER_SECOND - carry, ratePerSecond);
    }

    /** The tokens in the bucket now. */
    public long available(long nowNanos) {
        refill(nowNanos);
        return tokens;
    }

    /** The most tokens the bucket holds. */
    public long capacity() {
        return capacity;
    }

    /** Changes the rate from now on (a client throttled to, or released from, the free tier). */
    public void setRate(long ratePerSecond, long nowNanos) {
        refill(nowNanos);
        this.ratePerSecond = ratePerSecond;
    }

    public long ratePerSecond() {
        return ratePerSecond;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        lastNanos = nowNanos;
        if (elapsed <= 0 || ratePerSecond == 0 || tokens == capacity) {
            carry = tokens == capacity ? 0 : carry;
            return;
        }
        // Cap the elapsed time at what fills the bucket, which also keeps the product below 2^63.
        long fillNanos = Math.ceilDiv((capacity - tokens) * NANOS_PER_SECOND, ratePerSecond);
        long accrued = Math.multiplyExact(Math.min(elapsed, fillNanos), ratePerSecond) + carry;
        tokens = Math.min(capacity, tokens + accrued / NANOS_PER_SECOND);
        carry = tokens == capacity ? 0 : accrued % NANOS_PER_SECOND;
    }
}
