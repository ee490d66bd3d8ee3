package io.turnpike.relay;

import io.turnpike.core.accounting.TokenBucket;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * One client's share of the relay: a single token bucket that all its connections draw from in both
 * directions, so opening more connections buys no more bandwidth, and the count of those connections.
 */
final class ClientShare implements Throttle {

    /** A throttled client may burst one full read; a larger burst would blur the free-tier rate. */
    static final long BURST = Splice.MAX_CHUNK;
    /** Wait for at least this much before waking a connection, so a slow client is not sent dribbles. */
    private static final long MIN_GRANT = 4 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile TokenBucket bucket; // null: full speed; written under lock, read without it on the fast path
    private int connections; // guarded by the ClientTable's lock
    private final LongSupplier ticker;
    /** Shared by every throttled client; null when throttled clients together are not capped. */
    private final ThrottledTotal total;

    ClientShare(LongSupplier ticker, ThrottledTotal total) {
        this.ticker = ticker;
        this.total = total;
    }

    @Override
    public long grant(long wanted, BooleanSupplier cancelled) throws IOException {
        if (bucket == null) {
            return wanted;
        }
        lock.lock();
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    throw new SocketException("connection closed while throttled");
                }
                TokenBucket current = bucket;
                if (current == null) {
                    return wanted;
                }
                long now = ticker.getAsLong();
                long least = Math.min(wanted, MIN_GRANT);
                long wait = current.nanosUntil(least, now);
                if (wait == 0 && total != null) {
                    wait = total.nanosUntil(least, now);
                }
                if (wait == 0) {
                    long granted = current.take(wanted, now);
                    if (total == null) {
                        return granted;
                    }
                    long shared = total.take(granted, now);
                    if (shared < granted) {
                        current.giveBack(granted - shared, now); // another throttled client took the rest meanwhile
                    }
                    if (shared > 0) {
                        return shared;
                    }
                    continue;
                }
                if (wait < 0) {
                    changed.await(); // rate 0: stalled until the rate is raised or the connection closes
                } else {
                    changed.await(wait, TimeUnit.NANOSECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while throttled");
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Applies to live connections at once: waiting ones re-plan with the new rate. */
    void setRate(long bytesPerSecond) {
        lock.lock();
        try {
            long now = ticker.getAsLong();
            TokenBucket current = bucket;
            if (bytesPerSecond == RelayServer.UNLIMITED) {
                bucket = null;
            } else if (current == null) {
                bucket = new TokenBucket(bytesPerSecond, BURST, now);
            } else {
                current.setRate(bytesPerSecond, now);
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long rate() {
        lock.lock();
        try {
            TokenBucket current = bucket;
            return current == null ? RelayServer.UNLIMITED : current.ratePerSecond();
        } finally {
            lock.unlock();
        }
    }

    int connections() {
        return connections;
    }

    void connections(int count) {
        connections = count;
    }
}
