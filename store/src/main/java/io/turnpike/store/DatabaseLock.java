package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.crypto.Keccak256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Keeps a second process off a PostgreSQL database an exclusive store is using ({@link StoreConfig#exclusive()}): a
 * session-level advisory lock on a connection of its own, held while the store is open. The server drops it when
 * that session ends, so a node that crashed or was killed leaves nothing to clean up.
 */
final class DatabaseLock implements AutoCloseable {

    private final Connection session;

    private DatabaseLock(Connection session) {
        this.session = session;
    }

    /**
     * Takes the lock of {@code identity} in the schema the URL works in; it takes nothing else, so a refused store has
     * changed nothing.
     *
     * @throws StoreException {@link ErrorCode#DATABASE_LOCKED} if another session holds it
     */
    static DatabaseLock acquire(String jdbcUrl, Properties properties, NodeIdentity identity) {
        Connection session;
        try {
            session = DriverManager.getConnection(jdbcUrl, properties);
        } catch (SQLException e) {
            throw new StoreException(ErrorCode.DATABASE_OPEN_FAILED, "cannot connect to the database: "
                    + e.getMessage() + ". Check the JDBC URL, the credentials and that the server runs.", e);
        }
        String schema;
        boolean taken;
        try {
            schema = Sql.one(session, "SELECT current_schema() AS name", rs -> rs.getString("name")).orElse(null);
            taken = Sql.one(session, "SELECT pg_try_advisory_lock(?) AS taken", rs -> rs.getBoolean("taken"),
                    key(identity, schema)).orElseThrow();
        } catch (SQLException e) {
            closeQuietly(session);
            throw new StoreException(ErrorCode.DATABASE_OPEN_FAILED, "cannot lock the database: " + e.getMessage(),
                    e);
        }
        if (!taken) {
            closeQuietly(session);
            throw new StoreException(ErrorCode.DATABASE_LOCKED, "another process is already using this PostgreSQL "
                    + "database (schema " + schema + ") as " + identity + "; nothing was changed. Stop that process "
                    + "first: two processes on one database would pay and close the same channels twice.");
        }
        return new DatabaseLock(session);
    }

    /**
     * Advisory locks are per database, not per schema; keying on the schema as well lets stores in different schemas
     * of one database run side by side, as their data does.
     */
    private static long key(NodeIdentity identity, String schema) {
        byte[] hash = Keccak256.hash(("turnpike store of " + identity + " in schema " + schema)
                .getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(hash).getLong();
    }

    /** Ending the session releases the lock on the server. */
    @Override
    public void close() {
        closeQuietly(session);
    }

    private static void closeQuietly(Connection session) {
        try {
            session.close();
        } catch (SQLException ignored) {
            // The server releases a session's advisory locks when the connection goes, however it goes.
        }
    }
}
