package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

final class JdbcTxStore implements TxStore {

    private static final String COLUMNS = "hash, sender, nonce, recipient, amount, input, raw, max_fee_per_gas,"
            + " max_priority_fee_per_gas, purpose, status, block_number, block_hash, replaced_by, recorded_at, updated_at";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM transactions";
    private static final String NON_FINAL = Arrays.stream(TxStatus.values())
            .filter(status -> !status.isFinal())
            .map(status -> "'" + status.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    private final ReadPool reads;
    private final GroupCommitter committer;
    private final Clock clock;

    JdbcTxStore(ReadPool reads, GroupCommitter committer, Clock clock) {
        this.reads = reads;
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public long nextNonce(Address sender, long floor) {
        if (floor < 0) {
            throw new IllegalArgumentException("a nonce floor is not negative, got " + floor);
        }
        // Read, decide and write in one unit: atomic because units run one at a time on the committer.
        return committer.write(connection -> {
            long reserved = Sql.one(connection, "SELECT next_nonce FROM nonce_reservations WHERE sender = ?",
                    rs -> rs.getLong("next_nonce"), sender).orElse(0L);
            long pastStored = Sql.one(connection, "SELECT MAX(nonce) AS highest FROM transactions WHERE sender = ?",
                    rs -> Sql.optionalLong(rs, "highest").map(highest -> highest + 1).orElse(0L), sender).orElseThrow();
            long nonce = Math.max(floor, Math.max(reserved, pastStored));
            Sql.update(connection, "INSERT INTO nonce_reservations (sender, next_nonce) VALUES (?, ?)"
                    + " ON CONFLICT (sender) DO UPDATE SET next_nonce = excluded.next_nonce", sender, nonce + 1);
            return nonce;
        });
    }

    @Override
    public StoredTx record(OutgoingTx tx) {
        return committer.write(connection -> {
            insert(connection, tx);
            return find(connection, tx.hash()).orElseThrow();
        });
    }

    @Override
    public StoredTx updateStatus(Bytes32 hash, TxStatus status, Optional<BlockRef> block) {
        if (status == TxStatus.REPLACED) {
            throw new IllegalArgumentException("a transaction becomes REPLACED through replace(), which records its successor");
        }
        if ((status == TxStatus.MINED || status == TxStatus.CONFIRMED) && block.isEmpty()) {
            throw new IllegalArgumentException("a " + status + " transaction needs the block it is in");
        }
        return committer.write(connection -> {
            int updated = Sql.update(connection,
                    "UPDATE transactions SET status = ?, block_number = ?, block_hash = ?, updated_at = ? WHERE hash = ?",
                    status, block.map(BlockRef::number).orElse(null), block.map(BlockRef::hash).orElse(null),
                    clock.instant(), hash);
            if (updated == 0) {
                throw unknown(hash);
            }
            return find(connection, hash).orElseThrow();
        });
    }

    @Override
    public StoredTx replace(Bytes32 replacedHash, OutgoingTx replacement) {
        return committer.write(connection -> {
            StoredTx replaced = find(connection, replacedHash).orElseThrow(() -> unknown(replacedHash));
            if (replaced.status().isFinal()) {
                throw new StoreException(ErrorCode.TRANSACTION_FINAL, "transaction " + replacedHash + " is already "
                        + replaced.status() + "; send a new transaction instead of replacing it");
            }
            if (!replaced.tx().sender().equals(replacement.sender()) || replaced.tx().nonce() != replacement.nonce()) {
                throw new IllegalArgumentException("a replacement has the sender and nonce of the transaction it replaces");
            }
            insert(connection, replacement);
            Sql.update(connection, "UPDATE transactions SET status = ?, replaced_by = ?, updated_at = ? WHERE hash = ?",
                    TxStatus.REPLACED, replacement.hash(), clock.instant(), replacedHash);
            return find(connection, replacement.hash()).orElseThrow();
        });
    }

    @Override
    public Optional<StoredTx> findByHash(Bytes32 hash) {
        return reads.read(connection -> find(connection, hash));
    }

    @Override
    public List<StoredTx> listNonFinal() {
        return reads.read(connection -> Sql.list(connection,
                SELECT + " WHERE status IN " + NON_FINAL + " ORDER BY sender, nonce, recorded_at", JdbcTxStore::stored));
    }

    @Override
    public List<StoredTx> listConfirmedSince(Address sender, long fromBlock) {
        return reads.read(connection -> Sql.list(connection, SELECT + " WHERE sender = ? AND status = ?"
                + " AND block_number >= ? ORDER BY nonce", JdbcTxStore::stored, sender, TxStatus.CONFIRMED, fromBlock));
    }

    private void insert(Connection connection, OutgoingTx tx) throws SQLException {
        Instant now = clock.instant();
        Sql.update(connection, "INSERT INTO transactions (" + COLUMNS + ")"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tx.hash(), tx.sender(), tx.nonce(), tx.to(), tx.value(), tx.data(), tx.raw(), tx.maxFeePerGas(),
                tx.maxPriorityFeePerGas(), tx.purpose(), TxStatus.RECORDED, null, null, null, now, now);
    }

    private static Optional<StoredTx> find(Connection connection, Bytes32 hash) throws SQLException {
        return Sql.one(connection, SELECT + " WHERE hash = ?", JdbcTxStore::stored, hash);
    }

    private static StoreException unknown(Bytes32 hash) {
        return new StoreException(ErrorCode.UNKNOWN_TRANSACTION,
                "no transaction " + hash + " was recorded; record it before sending or updating it");
    }

    private static StoredTx stored(ResultSet rs) throws SQLException {
        OutgoingTx tx = new OutgoingTx(
                Sql.address(rs, "sender"),
                rs.getLong("nonce"),
                Sql.address(rs, "recipient"),
                Sql.amount(rs, "amount"),
                Sql.bytes(rs, "input"),
                Sql.bytes(rs, "raw"),
                Sql.bytes32(rs, "hash"),
                Sql.amount(rs, "max_fee_per_gas"),
                Sql.amount(rs, "max_priority_fee_per_gas"),
                rs.getString("purpose"));
        Optional<Bytes32> blockHash = Sql.optionalBytes32(rs, "block_hash");
        return new StoredTx(
                tx,
                Sql.enumValue(rs, "status", TxStatus.class),
                Sql.optionalLong(rs, "block_number").map(number -> new BlockRef(number, blockHash.orElseThrow())),
                Sql.optionalBytes32(rs, "replaced_by"),
                Sql.instant(rs, "recorded_at"),
                Sql.instant(rs, "updated_at"));
    }
}
