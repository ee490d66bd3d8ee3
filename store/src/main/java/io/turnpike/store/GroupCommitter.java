package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store's only writer. Callers queue units of work and wait until they are durable; one thread runs
 * whatever has queued up in a single transaction, so many writers share one commit (one fsync) instead
 * of paying one each. A unit that fails is rolled back alone and only its caller sees the failure: the
 * batch is then run again with a savepoint around each unit, so a unit may run more than once before
 * it commits and must act only through the connection it is given. Because units run one at a time on
 * one connection, a unit's read-then-write is atomic with respect to every other write.
 */
final class GroupCommitter implements AutoCloseable {

    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private record Pending<T>(Sql.Work<T> unit, CompletableFuture<T> future) {}

    /** Queued by {@link #close()} behind every accepted unit. */
    private static final Pending<Void> STOP = new Pending<>(connection -> null, new CompletableFuture<>());

    private final ConnectionFactory connections;
    private final int maxBatch;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicLong commits = new AtomicLong();
    private final Thread thread;
    private final Object lock = new Object();
    private boolean closed;
    private Connection connection;

    GroupCommitter(ConnectionFactory connections, int maxBatch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("a batch holds at least one unit, got " + maxBatch);
        }
        this.connections = connections;
        this.maxBatch = maxBatch;
        this.thread = Thread.ofPlatform().name("turnpike-store-committer").daemon().start(this::run);
    }

    /** Queues {@code unit}; the future completes once its effect is committed, or with why it was not. */
    <T> CompletableFuture<T> submit(Sql.Work<T> unit) {
        Pending<T> pending = new Pending<>(unit, new CompletableFuture<>());
        synchronized (lock) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        new StoreException(ErrorCode.STORE_CLOSED, "the store is closed; nothing was written"));
            }
            queue.add(pending);
        }
        return pending.future();
    }

    /** Runs {@code unit} and waits until it is durable; its failure is rethrown as it was raised. */
    <T> T write(Sql.Work<T> unit) {
        try {
            return submit(unit).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Transactions committed so far; fewer than units written when writers shared commits. */
    long commits() {
        return commits.get();
    }

    /** Commits every unit already queued, then stops; later submissions fail with {@code CLOSED}. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        try {
            while (true) {
                batch.clear();
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                boolean stop = batch.getLast() == STOP;
                if (stop) {
                    batch.removeLast();
                }
                if (!batch.isEmpty()) {
                    commit(batch);
                }
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // Nothing here interrupts this thread; if something does, fail what is left rather than leave callers waiting.
            synchronized (lock) {
                closed = true;
            }
            queue.forEach(pending -> pending.future().completeExceptionally(
                    new StoreException(ErrorCode.STORE_CLOSED, "the store stopped; nothing was written")));
        } finally {
            closeConnection();
        }
    }

    private void commit(List<Pending<?>> batch) {
        Object[] results = new Object[batch.size()];
        Throwable[] failures = new Throwable[batch.size()];
        try {
            Connection db = connection();
            Exception failure = runTogether(db, batch, results);
            if (failure == null) {
                commitTransaction(db);
            } else {
                db.rollback();
                if (batch.size() == 1) {
                    failures[0] = failure;
                } else {
                    runIsolated(db, batch, results, failures);
                    commitTransaction(db);
                }
            }
        } catch (SQLException | RuntimeException | Error e) {
            // The batch stands or falls as one transaction: no unit in it is known to be durable.
            StoreException failure = new StoreException(ErrorCode.DATABASE_WRITE_FAILED,
                    "the database did not confirm the commit, so the write may not be stored; check the database"
                            + " connection, read back what matters, then retry", e);
            batch.forEach(pending -> pending.future().completeExceptionally(failure));
            abandonConnection();
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results[i], failures[i]);
        }
    }

    /**
     * The fast path: every unit in one transaction without savepoints, which would cost PostgreSQL two
     * round trips per unit. Returns the first failure, after which the transaction must be rolled back.
     */
    private static Exception runTogether(Connection db, List<Pending<?>> batch, Object[] results) {
        for (int i = 0; i < batch.size(); i++) {
            try {
                results[i] = batch.get(i).unit().run(db);
            } catch (SQLException | RuntimeException e) {
                return e;
            }
        }
        return null;
    }

    /** After a failure: every unit again, each in its own savepoint, so a failure undoes only its unit. */
    private static void runIsolated(Connection db, List<Pending<?>> batch, Object[] results, Throwable[] failures)
            throws SQLException {
        for (int i = 0; i < batch.size(); i++) {
            Savepoint savepoint = db.setSavepoint();
            try {
                results[i] = batch.get(i).unit().run(db);
                db.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                results[i] = null;
                failures[i] = e;
                db.rollback(savepoint);
            }
        }
    }

    private void commitTransaction(Connection db) throws SQLException {
        db.commit();
        commits.incrementAndGet();
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> pending, Object result, Throwable failure) {
        if (failure == null) {
            pending.future().complete((T) result);
        } else if (failure instanceof SQLException e) {
            pending.future().completeExceptionally(new StoreException(
                    ErrorCode.DATABASE_WRITE_FAILED, "the database refused the write: " + e.getMessage(), e));
        } else {
            pending.future().completeExceptionally(failure);
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection fresh = connections.open();
            fresh.setAutoCommit(false);
            connection = fresh;
        }
        return connection;
    }

    /** After a failed commit the connection may be broken; the next batch opens a new one. */
    private void abandonConnection() {
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // Closing below discards the transaction anyway.
            }
            closeConnection();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // Everything acknowledged was committed; a failed close loses nothing.
            }
            connection = null;
        }
    }
}
