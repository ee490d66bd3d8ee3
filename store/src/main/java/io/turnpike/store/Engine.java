package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import java.util.Properties;

/** The two database engines the one schema and the one JDBC implementation run on. */
enum Engine {
    SQLITE("jdbc:sqlite:"),
    POSTGRESQL("jdbc:postgresql:");

    private final String urlPrefix;

    Engine(String urlPrefix) {
        this.urlPrefix = urlPrefix;
    }

    static Engine of(String jdbcUrl) {
        for (Engine engine : values()) {
            if (jdbcUrl.startsWith(engine.urlPrefix)) {
                return engine;
            }
        }
        throw new StoreException(ErrorCode.UNSUPPORTED_DATABASE_URL, "the store runs on SQLite or PostgreSQL, not '"
                + scheme(jdbcUrl) + "'; use jdbc:sqlite:<file> or jdbc:postgresql://<host>/<database>");
    }

    /** "jdbc:engine", the part of a URL safe to print: the rest may carry a password. */
    static String scheme(String jdbcUrl) {
        return jdbcUrl.substring(0, Math.max(0, jdbcUrl.indexOf(':', jdbcUrl.indexOf(':') + 1)));
    }

    /** Driver properties that make every commit durable on this engine. */
    Properties connectionProperties(String user, String password) {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        switch (this) {
            case SQLITE -> {
                // WAL lets readers run beside the writer; in WAL mode only FULL syncs the log at each commit.
                properties.setProperty("journal_mode", "WAL");
                properties.setProperty("synchronous", "FULL");
                properties.setProperty("busy_timeout", "10000");
            }
            case POSTGRESQL -> {
                // The server's default may have been relaxed (test servers often turn it off); money may not.
                properties.setProperty("options", "-c synchronous_commit=on");
                properties.setProperty("ApplicationName", "turnpike");
            }
        }
        return properties;
    }
}
