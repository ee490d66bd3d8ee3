package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.Properties;

/**
 * The node's durable state: open it with {@link #open}, use its stores, close it on shutdown. Reads run
 * on pooled connections; every write goes through one group committer, so it is durable when the call
 * returns and concurrent writers share commits.
 */
public final class Store implements AutoCloseable {

    private final Optional<DatabaseLock> lock;
    private final ReadPool reads;
    private final GroupCommitter committer;
    private final ChannelStore channels;
    private final LedgerStore ledger;
    private final TxStore transactions;
    private final CursorStore cursors;
    private final TransferStore transfers;
    private final TowerStore towers;

    private Store(Optional<DatabaseLock> lock, ReadPool reads, GroupCommitter committer, StoreConfig config) {
        this.lock = lock;
        this.reads = reads;
        this.committer = committer;
        this.channels = new JdbcChannelStore(reads, committer);
        this.ledger = new JdbcLedgerStore(reads, committer);
        this.transactions = new JdbcTxStore(reads, committer, config.clock());
        this.cursors = new JdbcCursorStore(reads, committer, config.clock());
        this.transfers = new JdbcTransferStore(reads, committer, config.clock());
        this.towers = new JdbcTowerStore(reads, committer, config.clock());
    }

    /**
     * Opens the database, brings its schema up to date and checks that it belongs to {@code identity}
     * (binding a new database to it).
     *
     * @throws StoreException {@link ErrorCode#IDENTITY_MISMATCH} if it belongs to another node,
     *     chain or contract; {@link ErrorCode#DATABASE_LOCKED} if the config is exclusive and another process has
     *     the database open as {@code identity}. Nothing is changed then
     */
    public static Store open(StoreConfig config, NodeIdentity identity) {
        Engine engine = Engine.of(config.jdbcUrl());
        Properties properties = engine.connectionProperties(config.user(), config.password());
        // Before anything reads or migrates, so that a refused store has changed nothing.
        Optional<DatabaseLock> lock = config.exclusive() && engine == Engine.POSTGRESQL
                ? Optional.of(DatabaseLock.acquire(config.jdbcUrl(), properties, identity)) : Optional.empty();
        ReadPool reads = null;
        try {
            reads = ReadPool.start(config.jdbcUrl(), properties, config.readConnections());
            Schema.migrateAndBind(reads.dataSource(), identity, config.clock());
            GroupCommitter committer = new GroupCommitter(
                    () -> DriverManager.getConnection(config.jdbcUrl(), properties), config.maxBatch());
            return new Store(lock, reads, committer, config);
        } catch (RuntimeException e) {
            if (reads != null) {
                reads.close();
            }
            lock.ifPresent(DatabaseLock::close);
            throw e;
        }
    }

    public ChannelStore channels() {
        return channels;
    }

    public LedgerStore ledger() {
        return ledger;
    }

    public TxStore transactions() {
        return transactions;
    }

    public CursorStore cursors() {
        return cursors;
    }

    public TransferStore transfers() {
        return transfers;
    }

    /** A watchtower's proofs and plans; empty in a node's database. */
    public TowerStore towers() {
        return towers;
    }

    GroupCommitter committer() {
        return committer;
    }

    ReadPool reads() {
        return reads;
    }

    /** Commits every write already accepted, then releases the database, and only then its lock. */
    @Override
    public void close() {
        try {
            committer.close();
            reads.close();
        } finally {
            lock.ifPresent(DatabaseLock::close);
        }
    }
}
