package io.turnpike.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * Where the store lives and how it writes.
 *
 * @param user and {@code password}: for PostgreSQL; null when the URL or the engine needs none
 * @param maxBatch the most writes that share one commit; 1 gives every write its own fsync
 * @param readConnections pooled connections for reads
 * @param clock stamps stored records
 * @param exclusive whether a second process opening the same PostgreSQL database as the same identity is refused
 *     while this store is open: a node's is; a tower's processes may share theirs. An SQLite file is left to whoever
 *     owns its folder to guard (a node locks its data directory)
 */
public record StoreConfig(String jdbcUrl, String user, String password, int maxBatch, int readConnections, Clock clock,
                          boolean exclusive) {

    /** The database file in a node's data directory. */
    public static final String SQLITE_FILE = "turnpike.db";
    public static final int DEFAULT_MAX_BATCH = 256;
    public static final int DEFAULT_READ_CONNECTIONS = 4;

    public StoreConfig {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(clock, "clock");
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch is at least 1, got " + maxBatch);
        }
        if (readConnections < 1) {
            throw new IllegalArgumentException("readConnections is at least 1, got " + readConnections);
        }
    }

    /** The default: SQLite in {@code dataDir}, which must exist. */
    public static StoreConfig sqlite(Path dataDir) {
        return jdbc("jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath(), null, null);
    }

    /** Any supported JDBC URL: {@code jdbc:sqlite:<file>} or {@code jdbc:postgresql://<host>/<database>}. */
    public static StoreConfig jdbc(String jdbcUrl, String user, String password) {
        return new StoreConfig(jdbcUrl, user, password, DEFAULT_MAX_BATCH, DEFAULT_READ_CONNECTIONS, Clock.systemUTC(),
                false);
    }

    public StoreConfig withMaxBatch(int batch) {
        return new StoreConfig(jdbcUrl, user, password, batch, readConnections, clock, exclusive);
    }

    public StoreConfig withClock(Clock newClock) {
        return new StoreConfig(jdbcUrl, user, password, maxBatch, readConnections, newClock, exclusive);
    }

    /** This config for a store that no other process may open as the same identity while it is open. */
    public StoreConfig exclusively() {
        return new StoreConfig(jdbcUrl, user, password, maxBatch, readConnections, clock, true);
    }

    /** Leaves the password and the URL's parameters out, so a config can be logged. */
    @Override
    public String toString() {
        return "StoreConfig[" + Engine.scheme(jdbcUrl) + ", user=" + user + ", maxBatch=" + maxBatch
                + ", readConnections=" + readConnections + (exclusive ? ", exclusive" : "") + "]";
    }
}
