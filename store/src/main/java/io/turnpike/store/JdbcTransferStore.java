package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

final class JdbcTransferStore implements TransferStore {

    private static final String SENT_COLUMNS = "payment_id, peer, token, amount, state, tx_hash";

    private final ReadPool reads;
    private final GroupCommitter committer;
    private final Clock clock;

    JdbcTransferStore(ReadPool reads, GroupCommitter committer, Clock clock) {
        this.reads = reads;
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public boolean credit(ReceivedTransfer transfer) {
        // The primary key decides, not a read before the write: another process on the same database may insert
        // between the two, and the engine serialises the conflict either way.
        return committer.write(connection -> Sql.update(connection,
                "INSERT INTO received_transfers (tx_hash, peer, token, amount, block_number, block_hash, credited_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tx_hash) DO NOTHING",
                transfer.txHash(), transfer.peer(), transfer.token(), transfer.amount(), transfer.block().number(),
                transfer.block().hash(), clock.instant())) == 1;
    }

    @Override
    public Optional<ReceivedTransfer> received(Bytes32 txHash) {
        return reads.read(connection -> Sql.one(connection,
                "SELECT tx_hash, peer, token, amount, block_number, block_hash FROM received_transfers WHERE tx_hash = ?",
                rs -> new ReceivedTransfer(Sql.bytes32(rs, "tx_hash"), Sql.address(rs, "peer"), Sql.address(rs, "token"),
                        Sql.amount(rs, "amount"), new BlockRef(rs.getLong("block_number"), Sql.bytes32(rs, "block_hash"))),
                txHash));
    }

    @Override
    public Amount receivedTotal(Address peer, Address token) {
        return sum("SELECT amount FROM received_transfers WHERE peer = ? AND token = ?", peer, token);
    }

    @Override
    public void putSent(SentTransfer transfer) {
        committer.write(connection -> Sql.update(connection,
                "INSERT INTO sent_transfers (" + SENT_COLUMNS + ", recorded_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                        + " ON CONFLICT (payment_id) DO UPDATE SET state = excluded.state, tx_hash = excluded.tx_hash,"
                        + " updated_at = excluded.updated_at",
                transfer.paymentId().toString(), transfer.peer(), transfer.token(), transfer.amount(), transfer.state(),
                transfer.txHash().orElse(null), clock.instant(), clock.instant()));
    }

    @Override
    public Optional<SentTransfer> sent(UUID paymentId) {
        return reads.read(connection -> Sql.one(connection,
                "SELECT " + SENT_COLUMNS + " FROM sent_transfers WHERE payment_id = ?", JdbcTransferStore::sent,
                paymentId.toString()));
    }

    @Override
    public List<SentTransfer> listSentUnfinished() {
        return reads.read(connection -> Sql.list(connection, "SELECT " + SENT_COLUMNS + " FROM sent_transfers"
                        + " WHERE state NOT IN (?, ?) ORDER BY recorded_at, payment_id", JdbcTransferStore::sent,
                SentTransfer.State.ACKNOWLEDGED, SentTransfer.State.FAILED));
    }

    @Override
    public Amount sentAcknowledged(Address peer, Address token) {
        return sum("SELECT amount FROM sent_transfers WHERE peer = ? AND token = ? AND state = ?", peer, token,
                SentTransfer.State.ACKNOWLEDGED);
    }

    /** Added up here, exactly: SQLite would add decimal strings as floating point. */
    private Amount sum(String sql, Object... params) {
        return reads.read(connection -> Sql.list(connection, sql, rs -> Sql.amount(rs, "amount"), params))
                .stream().reduce(Amount.ZERO, Amount::plus);
    }

    private static SentTransfer sent(ResultSet rs) throws SQLException {
        return new SentTransfer(UUID.fromString(rs.getString("payment_id")), Sql.address(rs, "peer"),
                Sql.address(rs, "token"), Sql.amount(rs, "amount"),
                Sql.enumValue(rs, "state", SentTransfer.State.class), Sql.optionalBytes32(rs, "tx_hash"));
    }
}
