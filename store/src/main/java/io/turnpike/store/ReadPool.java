package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;

/** Pooled connections for reads, so a reader never waits behind the committer's fsync. */
final class ReadPool implements AutoCloseable {

    private final HikariDataSource pool;

    private ReadPool(HikariDataSource pool) {
        this.pool = pool;
    }

    static ReadPool start(String jdbcUrl, Properties properties, int size) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("turnpike-store");
        config.setJdbcUrl(jdbcUrl);
        config.setDataSourceProperties(properties);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        try {
            return new ReadPool(new HikariDataSource(config));
        } catch (RuntimeException e) {
            throw new StoreException(ErrorCode.DATABASE_OPEN_FAILED,
                    "cannot connect to the database; check the JDBC URL, the credentials and that the server runs", e);
        }
    }

    DataSource dataSource() {
        return pool;
    }

    <T> T read(Sql.Work<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException(ErrorCode.DATABASE_READ_FAILED, "the database could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
