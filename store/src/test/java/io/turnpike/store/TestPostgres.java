package io.turnpike.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL server per test JVM (binaries from Maven Central, no Docker), on a random port,
 * stopped when the JVM exits. Each test gets its own schema, which is far quicker than a database.
 */
final class TestPostgres {

    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestPostgres() {}

    /** Started on first use: the class is initialised once, by whichever test needs it first. */
    private static final class Server {
        static final EmbeddedPostgres INSTANCE = start();

        private static EmbeddedPostgres start() {
            try {
                return EmbeddedPostgres.builder().setRegisterShutdownHook(true).start();
            } catch (IOException e) {
                throw new UncheckedIOException("the embedded PostgreSQL server did not start", e);
            }
        }
    }

    static StoreConfig freshSchema() {
        String schema = "test_" + SCHEMAS.incrementAndGet();
        try (Connection connection = Server.INSTANCE.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        return StoreConfig.jdbc("jdbc:postgresql://localhost:" + Server.INSTANCE.getPort() + "/postgres?currentSchema="
                + schema, "postgres", null);
    }
}
