package io.turnpike.relay;

import io.turnpike.core.Address;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/** A meter that adds up what it is told per peer and lets a test wait for a total. */
final class Tally implements Meter {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<Address, long[]> totals = new HashMap<>(); // peer -> {up, down}

    @Override
    public void relayed(Address peer, long bytesUp, long bytesDown) {
        lock.lock();
        try {
            long[] total = totals.computeIfAbsent(peer, p -> new long[2]);
            total[0] += bytesUp;
            total[1] += bytesDown;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    long up(Address peer) {
        return total(peer)[0];
    }

    long down(Address peer) {
        return total(peer)[1];
    }

    /** Everything metered for anyone. */
    long all() {
        lock.lock();
        try {
            return totals.values().stream().mapToLong(t -> t[0] + t[1]).sum();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until at least {@code bytes} went down to {@code peer}; whether that happened in time. */
    boolean awaitDown(Address peer, long bytes, Duration timeout) throws InterruptedException {
        return await(() -> down(peer) >= bytes, timeout);
    }

    /** Both directions together: what a client's one token bucket pays for. */
    long both(Address peer) {
        long[] total = total(peer);
        return total[0] + total[1];
    }

    /** Waits until at least {@code bytes} went either way for {@code peer}; whether that happened in time. */
    boolean awaitBoth(Address peer, long bytes, Duration timeout) throws InterruptedException {
        return await(() -> both(peer) >= bytes, timeout);
    }

    private boolean await(java.util.function.BooleanSupplier reached, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!reached.getAsBoolean()) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private long[] total(Address peer) {
        lock.lock();
        try {
            return totals.getOrDefault(peer, new long[2]).clone();
        } finally {
            lock.unlock();
        }
    }
}
