package io.turnpike.node.time;

import java.time.Duration;

/**
 * Runs work later and periodically. Injected, like the clock, so the node's logic runs in tests exactly when the
 * test says (Teku's {@code AsyncRunner}): production uses {@link SystemScheduler}.
 */
public interface Scheduler extends AutoCloseable {

    /** Runs {@code task} every {@code period}, the first time after one period, until the scheduler closes. */
    void every(Duration period, Runnable task);

    /** Runs {@code task} once, after {@code delay}. */
    void after(Duration delay, Runnable task);

    /** Stops running tasks; a task already running finishes first. */
    @Override
    void close();
}
