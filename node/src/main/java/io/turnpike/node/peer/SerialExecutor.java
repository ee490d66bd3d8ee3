package io.turnpike.node.peer;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tasks given to it one at a time, in the order given, on a shared executor: everything about one peer
 * goes through one of these, so the peer's state is only ever touched by one task at a time and needs no lock.
 * A task that throws is logged and the next one runs.
 */
public final class SerialExecutor implements Executor {

    private static final Logger LOG = LoggerFactory.getLogger(SerialExecutor.class);
    /** Tasks one turn runs before it yields to the other peers. */
    private static final int BATCH = 64;

    private final Executor base;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Whether a drain is scheduled or running; only its owner may run tasks. */
    private final AtomicBoolean draining = new AtomicBoolean();

    public SerialExecutor(Executor base) {
        this.base = base;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            base.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            int ran = 0;
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("a peer task failed: {}", e.toString(), e);
                }
                if (++ran == BATCH && !tasks.isEmpty()) {
                    // Still the owner: the rest runs in a new turn, behind the other peers' waiting turns, so one
                    // busy peer does not hold a carrier thread while others wait.
                    base.execute(this::drain);
                    return;
                }
            }
            draining.set(false);
            // A task added after the last poll but before the flag was cleared found the drain still running.
            if (tasks.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
