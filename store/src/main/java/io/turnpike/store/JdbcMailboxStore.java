package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PublicKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Fetches read the pool, beside the committer; everything that changes a mailbox goes through the committer. */
final class JdbcMailboxStore implements MailboxStore {

    // The quota test is the upsert's own WHERE: the sum and the check are one statement in the one committer.
    private static final String RESERVE = "INSERT INTO mailboxes (owner, stored_bytes, last_id) VALUES (?, ?, 1)"
            + " ON CONFLICT (owner) DO UPDATE SET stored_bytes = mailboxes.stored_bytes + excluded.stored_bytes,"
            + " last_id = mailboxes.last_id + 1 WHERE mailboxes.stored_bytes + excluded.stored_bytes <= ?"
            + " RETURNING last_id";

    /** A nonce of one owner's. */
    private record Claim(Address owner, Bytes32 nonce) {
    }

    private final ReadPool reads;
    private final GroupCommitter committer;
    private final Clock clock;
    /**
     * Nonces taken whose write is queued and not yet committed, with the key that signed them: the replay guard, and
     * where the owner's key is known from, until the database holds them.
     */
    private final Map<Claim, PublicKey> uncommitted = new ConcurrentHashMap<>();

    JdbcMailboxStore(ReadPool reads, GroupCommitter committer, Clock clock) {
        this.reads = reads;
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public OptionalLong deliver(Address owner, byte[] envelope, long quotaBytes) {
        if (envelope.length > quotaBytes) {
            return OptionalLong.empty(); // a first envelope is inserted, not checked by the upsert's WHERE
        }
        Instant now = clock.instant();
        long size = envelope.length;
        return committer.write(connection -> {
            Optional<Long> id = Sql.one(connection, RESERVE, rs -> rs.getLong(1), owner, size, quotaBytes);
            if (id.isEmpty()) {
                return OptionalLong.empty();
            }
            // Sql would write the bytes as hex: bound here as they are.
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mailbox_envelopes"
                    + " (owner, id, received_at, size_bytes, envelope) VALUES (?, ?, ?, ?, ?)")) {
                insert.setString(1, owner.toLowerHex());
                insert.setLong(2, id.get());
                insert.setLong(3, now.toEpochMilli());
                insert.setLong(4, size);
                insert.setBytes(5, envelope);
                insert.executeUpdate();
            }
            return OptionalLong.of(id.get());
        });
    }

    @Override
    public List<StoredEnvelope> after(Address owner, long afterId, int limit) {
        return reads.read(connection -> Sql.list(connection, "SELECT id, received_at, envelope FROM mailbox_envelopes"
                        + " WHERE owner = ? AND id > ? ORDER BY id LIMIT ?",
                rs -> new StoredEnvelope(rs.getLong("id"), Sql.instant(rs, "received_at"), rs.getBytes("envelope")),
                owner, afterId, limit));
    }

    @Override
    public int deleteThrough(Address owner, long throughId) {
        return remove(owner, " AND id <= ?", throughId);
    }

    @Override
    public int deleteReceivedBefore(Address owner, Instant cutoff) {
        return remove(owner, " AND received_at < ?", cutoff);
    }

    @Override
    public int erase(Address owner) {
        return remove(owner, "");
    }

    /** Deletes the envelopes of {@code owner} that also match {@code andCondition}, and takes their bytes off its total. */
    private int remove(Address owner, String andCondition, Object... params) {
        Object[] keyed = new Object[params.length + 1];
        keyed[0] = owner;
        System.arraycopy(params, 0, keyed, 1, params.length);
        String matching = " FROM mailbox_envelopes WHERE owner = ?" + andCondition;
        return committer.write(connection -> {
            long freed = sum(connection, "SELECT COALESCE(SUM(size_bytes), 0)" + matching, keyed);
            int removed = Sql.update(connection, "DELETE" + matching, keyed);
            if (removed > 0) {
                Sql.update(connection, "UPDATE mailboxes SET stored_bytes = stored_bytes - ? WHERE owner = ?",
                        freed, owner);
            }
            return removed;
        });
    }

    private static long sum(Connection connection, String sql, Object... params) throws SQLException {
        return Sql.one(connection, sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    @Override
    public MailboxUsage usage(Address owner) {
        return reads.read(connection -> Sql.one(connection, "SELECT stored_bytes, last_id,"
                        + " (SELECT COUNT(*) FROM mailbox_envelopes e WHERE e.owner = m.owner) AS envelopes"
                        + " FROM mailboxes m WHERE owner = ?",
                rs -> new MailboxUsage(rs.getLong("stored_bytes"), rs.getLong("envelopes"), rs.getLong("last_id")),
                owner)).orElse(MailboxUsage.EMPTY);
    }

    @Override
    public List<Address> nonEmpty() {
        return reads.read(connection -> Sql.list(connection,
                "SELECT owner FROM mailboxes WHERE stored_bytes > 0 ORDER BY owner", rs -> Sql.address(rs, "owner")));
    }

    @Override
    public boolean claimRequest(Address owner, PublicKey key, Bytes32 nonce, long expiry) {
        Claim claim = new Claim(owner, nonce);
        if (uncommitted.putIfAbsent(claim, key) != null) {
            return false;
        }
        try {
            return committer.write(connection -> claim(connection, owner, key, nonce, expiry));
        } finally {
            uncommitted.remove(claim);
        }
    }

    @Override
    public boolean claimReadRequest(Address owner, PublicKey key, Bytes32 nonce, long expiry) {
        Claim claim = new Claim(owner, nonce);
        if (uncommitted.putIfAbsent(claim, key) != null) {
            return false;
        }
        boolean used = reads.read(connection -> Sql.one(connection, "SELECT 1 FROM mailbox_request_nonces"
                + " WHERE owner = ? AND nonce = ?", rs -> true, owner, nonce)).isPresent();
        if (used) {
            uncommitted.remove(claim);
            return false;
        }
        // Held in uncommitted until the commit is over, so the same nonce is refused meanwhile, then by the database.
        committer.submit(connection -> claim(connection, owner, key, nonce, expiry))
                .whenComplete((taken, failure) -> uncommitted.remove(claim));
        return true;
    }

    private static boolean claim(Connection connection, Address owner, PublicKey key, Bytes32 nonce, long expiry)
            throws SQLException {
        if (Sql.update(connection, "INSERT INTO mailbox_request_nonces (owner, nonce, expiry_s) VALUES (?, ?, ?)"
                + " ON CONFLICT (owner, nonce) DO NOTHING", owner, nonce, expiry) == 0) {
            return false;
        }
        Sql.update(connection, "INSERT INTO mailboxes (owner, stored_bytes, last_id, public_key) VALUES (?, 0, 0, ?)"
                + " ON CONFLICT (owner) DO UPDATE SET public_key = excluded.public_key", owner, key.toHex());
        return true;
    }

    @Override
    public int forgetNoncesExpiredBefore(long unixSeconds) {
        return committer.write(connection -> Sql.update(connection,
                "DELETE FROM mailbox_request_nonces WHERE expiry_s < ?", unixSeconds));
    }

    @Override
    public Optional<PublicKey> key(Address owner) {
        // The claims first: one gone from them is committed, so the database has it when it is read after.
        Optional<PublicKey> claimed = uncommitted.entrySet().stream()
                .filter(claim -> claim.getKey().owner().equals(owner)).map(Map.Entry::getValue).findFirst();
        if (claimed.isPresent()) {
            return claimed;
        }
        return reads.read(connection -> Sql.one(connection, "SELECT public_key FROM mailboxes WHERE owner = ?",
                        rs -> Optional.ofNullable(rs.getString("public_key")), owner))
                .flatMap(key -> key.map(PublicKey::fromHex));
    }
}
