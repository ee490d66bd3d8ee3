package io.turnpike.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.ArgumentsProvider;

/** A fresh, empty database on one engine; {@link #open()} opens a store on it as {@link Fixtures#IDENTITY}. */
record TestDatabase(String engine, StoreConfig config) {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    /** Supplies a fresh database of each engine to a {@link ForAllDbs} test. */
    static final class Both implements ArgumentsProvider {
        @Override
        public Stream<? extends Arguments> provideArguments(ExtensionContext context) {
            return Stream.of(Arguments.of(sqlite()), Arguments.of(postgres()));
        }
    }

    static TestDatabase sqlite() {
        try {
            Path dir = Files.createDirectories(Path.of("target", "test-databases"));
            return new TestDatabase("SQLite", fixedClock(StoreConfig.sqlite(Files.createTempDirectory(dir, "sqlite"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TestDatabase postgres() {
        return new TestDatabase("PostgreSQL", fixedClock(TestPostgres.freshSchema()));
    }

    Store open() {
        return open(Fixtures.IDENTITY);
    }

    Store open(NodeIdentity identity) {
        return Store.open(config, identity);
    }

    TestDatabase withMaxBatch(int maxBatch) {
        return new TestDatabase(engine, config.withMaxBatch(maxBatch));
    }

    /** Opened as a node opens its database: no second process as the same node. */
    TestDatabase exclusively() {
        return new TestDatabase(engine, config.exclusively());
    }

    boolean isSqlite() {
        return Engine.of(config.jdbcUrl()) == Engine.SQLITE;
    }

    private static StoreConfig fixedClock(StoreConfig config) {
        return config.withClock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Override
    public String toString() {
        return engine;
    }
}
