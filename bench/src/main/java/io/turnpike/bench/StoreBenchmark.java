package io.turnpike.bench;

import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.core.Address;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerBalance;
import io.turnpike.store.LedgerDelta;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable money writes per second: concurrent writers each adjusting their own peer's ledger, every
 * call returning only once its write is committed and synced. {@code commit=group} lets writers share
 * commits (the store's default); {@code commit=single} gives every write its own commit and fsync.
 * PostgreSQL is a real server from the embedded binaries with fsync on, and the store forces
 * {@code synchronous_commit=on}, so both engines sync their log to disk on every commit.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(32)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class StoreBenchmark {

    private static final NodeIdentity IDENTITY = new NodeIdentity(
            Address.of("0x1111111111111111111111111111111111111111"), 31337,
            Address.of("0x4444444444444444444444444444444444444444"));
    private static final LedgerDelta ONE_WEI_USED = LedgerDelta.NONE.withUsed(BigInteger.ONE);

    @Param({"sqlite", "postgresql"})
    public String engine;

    @Param({"group", "single"})
    public String commit;

    private final AtomicInteger writers = new AtomicInteger();
    private Path dataDir;
    private EmbeddedPostgres postgres;
    private Store store;

    /** Each writer thread pays into its own ledger row, so writers never wait on one another's rows. */
    @State(Scope.Thread)
    public static class Writer {
        LedgerKey key;

        @Setup
        public void setUp(StoreBenchmark benchmark) {
            byte[] peer = new byte[Address.LENGTH];
            int index = benchmark.writers.getAndIncrement();
            peer[Address.LENGTH - 2] = (byte) (index >> 8);
            peer[Address.LENGTH - 1] = (byte) index;
            key = new LedgerKey(Address.fromBytes(peer), Address.ZERO, Debtor.PEER);
        }
    }

    @Setup(Level.Trial)
    public void open() throws IOException {
        // On disk, not in a tmpfs: an fsync must reach the device for the figures to mean anything.
        dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")).toAbsolutePath(), "store-bench");
        StoreConfig config = switch (engine) {
            case "sqlite" -> StoreConfig.sqlite(dataDir);
            case "postgresql" -> {
                // The embedded server starts with fsync off (-F), which is right for tests and wrong here.
                postgres = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir.resolve("postgres"))
                        .setServerConfig("fsync", "on")
                        .start();
                yield StoreConfig.jdbc(postgres.getJdbcUrl("postgres", "postgres"), "postgres", null);
            }
            default -> throw new IllegalArgumentException("engine is sqlite or postgresql, got " + engine);
        };
        int maxBatch = switch (commit) {
            case "group" -> StoreConfig.DEFAULT_MAX_BATCH;
            case "single" -> 1;
            default -> throw new IllegalArgumentException("commit is group or single, got " + commit);
        };
        store = Store.open(config.withMaxBatch(maxBatch), IDENTITY);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.close();
        if (postgres != null) {
            postgres.close();
        }
        FileTrees.delete(dataDir);
    }

    @Benchmark
    public LedgerBalance durableLedgerWrite(Writer writer) {
        return store.ledger().adjust(writer.key, ONE_WEI_USED);
    }
}
