package io.turnpike.http;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A served surface's last resort (an HTTP surface here, the peer port in protocol): an error the JVM may not survive
 * (an {@link OutOfMemoryError}, a selector that died), wherever the transport meets it, is logged once and handed once
 * to the surface's hook. By default the hook ends the process: a node or tower that runs on without one of its
 * surfaces is worse than one a supervisor restarts.
 */
public final class FatalErrors {

    /** EX_SOFTWARE (sysexits.h), as the peer port exits with: an internal failure, not the operator's input. */
    static final int EXIT_STATUS = 70;

    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);

    private final String surface;
    private final Consumer<Throwable> hook;
    private final AtomicBoolean reported = new AtomicBoolean();

    public FatalErrors(String surface, Consumer<Throwable> hook) {
        this.surface = surface;
        this.hook = hook;
    }

    /** Reports {@code failure} if it, or what caused it, is a {@link VirtualMachineError}; says whether. */
    public boolean check(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof VirtualMachineError) {
                report(cause);
                return true;
            }
        }
        return false;
    }

    /** The first report is logged and handed to the hook; the threads failing after it add nothing. */
    public void report(Throwable fatal) {
        if (reported.compareAndSet(false, true)) {
            LOG.error("the {} failed and cannot go on; stopping the process so that it is restarted", surface, fatal);
            hook.accept(fatal);
        }
    }

    /** {@code task}, with a fatal error it throws reported; for work on threads nobody else watches (timers). */
    public Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (VirtualMachineError fatal) {
                report(fatal);
                throw fatal;
            }
        };
    }

    /** The production hook: exit with {@value #EXIT_STATUS}. */
    public static void exitProcess(Throwable fatal) {
        try {
            // A thread of its own, so that shutdown hooks stopping this server do not wait for the failing thread.
            Thread.ofPlatform().name("turnpike-fatal-exit").start(() -> System.exit(EXIT_STATUS));
        } catch (Throwable noThread) {
            // Not even a thread could start: no shutdown hook could run either.
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
