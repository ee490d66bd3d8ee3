package io.turnpike.protocol;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's last resort. An error the JVM may not survive, wherever the transport meets it, is logged
 * once and handed once to {@link PeerConfig#onFatalError()}: a half-alive node (API up, peer port gone) is
 * worse than one a supervisor restarts.
 */
final class FatalErrors {

    /** EX_SOFTWARE (sysexits.h): an internal error, not the operator's input. */
    static final int EXIT_STATUS = 70;

    private static final Logger log = LoggerFactory.getLogger(FatalErrors.class);

    private final Consumer<Throwable> handler;
    private final AtomicBoolean reported = new AtomicBoolean();

    FatalErrors(Consumer<Throwable> handler) {
        this.handler = handler;
    }

    /** Reports {@code error} if it, or anything that caused it, is a {@link VirtualMachineError}; says whether. */
    boolean check(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof VirtualMachineError fatal) {
                report(fatal);
                return true;
            }
        }
        return false;
    }

    /** Logs {@code error} and calls the handler, the first time only: the threads that fail after it add nothing. */
    void report(Throwable error) {
        if (reported.compareAndSet(false, true)) {
            log.error("the peer transport failed and cannot go on; stopping the process so that it is restarted",
                    error);
            handler.accept(error);
        }
    }

    /** {@code task}, with a fatal error it throws reported; for work on threads nobody else watches (timers). */
    Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (VirtualMachineError fatal) {
                report(fatal);
                throw fatal;
            }
        };
    }

    /** The default handler: exit with {@link #EXIT_STATUS}. */
    static void exitProcess(Throwable error) {
        try {
            // On a thread of its own, so that shutdown hooks stopping the transport do not wait for this one.
            Thread.ofPlatform().name("turnpike-fatal-exit").start(() -> System.exit(EXIT_STATUS));
        } catch (Throwable noThread) {
            // Out of memory for even a thread: no hook can run either.
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    }
}
