package io.turnpike.node.time;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Scheduler} on one daemon thread; a periodic task that throws is logged and keeps its schedule. */
public final class SystemScheduler implements Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(SystemScheduler.class);

    private final ScheduledExecutorService executor;

    public SystemScheduler(String name) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name(name)
                .unstarted(r));
    }

    @Override
    public void every(Duration period, Runnable task) {
        executor.scheduleWithFixedDelay(guarded(task), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void after(Duration delay, Runnable task) {
        executor.schedule(guarded(task), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Lets a task that is running finish (an RPC call cut short would only log a failure), then stops. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("scheduled task failed: {}", e.toString(), e);
            }
        };
    }
}
