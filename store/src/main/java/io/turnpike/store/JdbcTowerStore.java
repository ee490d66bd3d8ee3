package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

final class JdbcTowerStore implements TowerStore {

    private static final String COLUMNS = "channel_id, non_closer, closer, token, nonce, transferred, proof_signature,"
            + " reward, request_signature, phase, act_at_s, deadline_s, tx_hash";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM tower_proofs";
    /** Entries of settled channels are kept a while for a re-org to bring back, but are not the tower's work. */
    private static final String ACTIVE = " WHERE settled_block IS NULL AND";
    private static final String KEY = " WHERE channel_id = ? AND non_closer = ?";
    private static final String ORDER = " ORDER BY channel_id, non_closer";
    // The nonce test is the upsert's own WHERE, so no other writer (another process on PostgreSQL included)
    // can slip between the check and the write. A proof that beats a DONE entry may beat the chain again.
    private static final String PUT = "INSERT INTO tower_proofs (" + COLUMNS + ", updated_at)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, ?)"
            + " ON CONFLICT (channel_id, non_closer) DO UPDATE SET closer = excluded.closer, token = excluded.token,"
            + " nonce = excluded.nonce, transferred = excluded.transferred, proof_signature = excluded.proof_signature,"
            + " reward = excluded.reward, request_signature = excluded.request_signature,"
            + " phase = CASE WHEN tower_proofs.phase = '" + TowerPhase.DONE + "' THEN '" + TowerPhase.SCHEDULED
            + "' ELSE tower_proofs.phase END, updated_at = excluded.updated_at"
            + " WHERE tower_proofs.nonce < excluded.nonce";

    private final ReadPool reads;
    private final GroupCommitter committer;
    private final Clock clock;

    JdbcTowerStore(ReadPool reads, GroupCommitter committer, Clock clock) {
        this.reads = reads;
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public boolean putIfNewer(TowerUpload upload) {
        BalanceProof proof = upload.proof().message();
        return committer.write(connection -> Sql.update(connection, PUT,
                proof.channelId(), upload.nonCloser(), upload.closer(), upload.token(), proof.nonce(),
                proof.transferred(), upload.proof().signature().bytes(), upload.reward(),
                upload.requestSignature().bytes(), TowerPhase.WATCHING, clock.instant())) == 1;
    }

    @Override
    public Optional<TowerEntry> get(long channelId, Address nonCloser) {
        return reads.read(connection -> Sql.one(connection, SELECT + KEY, JdbcTowerStore::entry, channelId, nonCloser));
    }

    @Override
    public List<TowerEntry> listChannel(long channelId) {
        return list(ACTIVE + " channel_id = ?" + ORDER, channelId);
    }

    @Override
    public List<TowerEntry> listByNonCloser(Address nonCloser) {
        return list(ACTIVE + " non_closer = ?" + ORDER, nonCloser);
    }

    @Override
    public List<TowerEntry> listInPhase(TowerPhase phase) {
        return list(ACTIVE + " phase = ?" + ORDER, phase);
    }

    @Override
    public List<TowerEntry> listDue(Instant now) {
        return list(ACTIVE + " phase = ? AND act_at_s <= ? ORDER BY act_at_s, channel_id, non_closer",
                TowerPhase.SCHEDULED, now.getEpochSecond());
    }

    @Override
    public boolean transition(long channelId, Address nonCloser, TowerPhase expected, TowerWatch next) {
        return committer.write(connection -> Sql.update(connection, "UPDATE tower_proofs SET phase = ?, act_at_s = ?,"
                        + " deadline_s = ?, tx_hash = ?, updated_at = ?" + KEY + " AND phase = ?",
                next.phase(), seconds(next.actAt()), seconds(next.deadline()), next.txHash().orElse(null),
                clock.instant(), channelId, nonCloser, expected)) == 1;
    }

    @Override
    public void settled(long channelId, long block, Optional<TowerReward> reward) {
        committer.write(connection -> {
            Sql.update(connection, "UPDATE tower_proofs SET settled_block = ?, updated_at = ? WHERE channel_id = ?"
                    + " AND settled_block IS NULL", block, clock.instant(), channelId);
            if (reward.isPresent()) {
                Sql.update(connection, "INSERT INTO tower_rewards (channel_id, token, amount, recorded_at,"
                                + " block_number) VALUES (?, ?, ?, ?, ?) ON CONFLICT (channel_id) DO NOTHING",
                        channelId, reward.get().token(), reward.get().amount(), clock.instant(), block);
            }
            return null;
        });
    }

    @Override
    public List<Long> unsettle(long fromBlock) {
        return committer.write(connection -> {
            List<Long> channels = Sql.list(connection, "SELECT DISTINCT channel_id FROM tower_proofs"
                    + " WHERE settled_block >= ? ORDER BY channel_id", rs -> rs.getLong("channel_id"), fromBlock);
            Sql.update(connection, "UPDATE tower_proofs SET settled_block = NULL, updated_at = ?"
                    + " WHERE settled_block >= ?", clock.instant(), fromBlock);
            Sql.update(connection, "DELETE FROM tower_rewards WHERE block_number >= ?", fromBlock);
            return channels;
        });
    }

    @Override
    public void purgeSettled(long block) {
        committer.write(connection -> Sql.update(connection, "DELETE FROM tower_proofs WHERE settled_block < ?",
                block));
    }

    @Override
    public Optional<TowerReward> reward(long channelId) {
        return reads.read(connection -> Sql.one(connection,
                "SELECT channel_id, token, amount FROM tower_rewards WHERE channel_id = ?",
                rs -> new TowerReward(rs.getLong("channel_id"), Sql.address(rs, "token"), Sql.amount(rs, "amount")),
                channelId));
    }

    @Override
    public Amount rewardsEarned(Address token) {
        // Added up here, exactly: SQLite would add decimal strings as floating point.
        return reads.read(connection -> Sql.list(connection, "SELECT amount FROM tower_rewards WHERE token = ?",
                rs -> Sql.amount(rs, "amount"), token)).stream().reduce(Amount.ZERO, Amount::plus);
    }

    private List<TowerEntry> list(String where, Object... params) {
        return reads.read(connection -> Sql.list(connection, SELECT + where, JdbcTowerStore::entry, params));
    }

    private static Long seconds(Optional<Instant> instant) {
        return instant.map(Instant::getEpochSecond).orElse(null);
    }

    private static TowerEntry entry(ResultSet rs) throws SQLException {
        BalanceProof proof = new BalanceProof(rs.getLong("channel_id"), rs.getLong("nonce"),
                Sql.amount(rs, "transferred"));
        TowerUpload upload = new TowerUpload(Sql.address(rs, "non_closer"), Sql.address(rs, "closer"),
                Sql.address(rs, "token"), new Signed<>(proof, Signature.of(Sql.bytes(rs, "proof_signature"))),
                Sql.amount(rs, "reward"), Signature.of(Sql.bytes(rs, "request_signature")));
        TowerWatch watch = new TowerWatch(Sql.enumValue(rs, "phase", TowerPhase.class),
                Sql.optionalLong(rs, "act_at_s").map(Instant::ofEpochSecond),
                Sql.optionalLong(rs, "deadline_s").map(Instant::ofEpochSecond),
                Sql.optionalBytes32(rs, "tx_hash"));
        return new TowerEntry(upload, watch);
    }
}
