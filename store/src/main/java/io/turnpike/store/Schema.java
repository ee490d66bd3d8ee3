package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/** Brings a database to the current schema and binds it to the node that uses it. */
final class Schema {

    private Schema() {}

    /**
     * A database bound to another identity is refused before anything is migrated, so a wrong URL or
     * key changes nothing; a new database is bound to {@code identity} right after its first migration.
     */
    static void migrateAndBind(DataSource dataSource, NodeIdentity identity, Clock clock) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load();
        try {
            if (flyway.info().current() != null) {
                try (Connection connection = dataSource.getConnection()) {
                    refuseAnother(boundIdentity(connection), identity);
                }
            }
            flyway.migrate();
            try (Connection connection = dataSource.getConnection()) {
                Optional<NodeIdentity> bound = boundIdentity(connection);
                refuseAnother(bound, identity);
                if (bound.isEmpty()) {
                    Sql.update(connection, "INSERT INTO node_identity (id, node_address, chain_id, contract, bound_at)"
                                    + " VALUES (1, ?, ?, ?, ?)",
                            identity.node(), identity.chainId(), identity.contract(), clock.instant());
                }
            }
        } catch (FlywayException e) {
            throw new StoreException(ErrorCode.DATABASE_OPEN_FAILED,
                    "the database schema could not be brought up to date: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new StoreException(ErrorCode.DATABASE_OPEN_FAILED,
                    "the database could not be checked: " + e.getMessage(), e);
        }
    }

    private static Optional<NodeIdentity> boundIdentity(Connection connection) throws SQLException {
        return Sql.one(connection, "SELECT node_address, chain_id, contract FROM node_identity WHERE id = 1",
                rs -> new NodeIdentity(
                        Sql.address(rs, "node_address"), rs.getLong("chain_id"), Sql.address(rs, "contract")));
    }

    private static void refuseAnother(Optional<NodeIdentity> bound, NodeIdentity identity) {
        if (bound.isPresent() && !bound.get().equals(identity)) {
            throw new StoreException(ErrorCode.IDENTITY_MISMATCH, "this database belongs to "
                    + bound.get() + ", but this node is " + identity + ". Nothing was changed. Point the node at"
                    + " its own data directory or JDBC URL, or run it with the key and chain this database was"
                    + " made for.");
        }
    }
}
