package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

final class JdbcChannelStore implements ChannelStore {

    private static final String COLUMNS = "chain_id, contract, channel_id, our_address, partner, token, our_role,"
            + " state, challenge_period, our_deposit, our_withdrawn, partner_deposit, partner_withdrawn, settle_at,"
            + " sent_nonce, sent_transferred, sent_signature, received_nonce, received_transferred, received_signature";
    private static final String KEY = "chain_id = ? AND contract = ? AND channel_id = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM channels";
    private static final String ORDER = " ORDER BY chain_id, contract, channel_id";
    private static final String PUT = "INSERT INTO channels (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (chain_id, contract, channel_id) DO UPDATE SET"
            + " our_address = excluded.our_address, partner = excluded.partner, token = excluded.token,"
            + " our_role = excluded.our_role, state = excluded.state, challenge_period = excluded.challenge_period,"
            + " our_deposit = excluded.our_deposit, our_withdrawn = excluded.our_withdrawn,"
            + " partner_deposit = excluded.partner_deposit, partner_withdrawn = excluded.partner_withdrawn,"
            + " settle_at = excluded.settle_at, " + keepNewest(Direction.SENT) + ", " + keepNewest(Direction.RECEIVED);

    private final ReadPool reads;
    private final GroupCommitter committer;

    JdbcChannelStore(ReadPool reads, GroupCommitter committer) {
        this.reads = reads;
        this.committer = committer;
    }

    @Override
    public void put(Channel channel) {
        ChannelRef ref = channel.ref();
        committer.write(connection -> Sql.update(connection, PUT,
                ref.chainId(), ref.contract(), ref.channelId(), channel.us(), channel.partner(), channel.token(),
                channel.ourRole(), channel.state(), channel.challengePeriodSeconds(),
                channel.ours().deposit(), channel.ours().withdrawn(),
                channel.theirs().deposit(), channel.theirs().withdrawn(),
                channel.settleAt().map(Instant::getEpochSecond).orElse(null),
                nonce(channel.sent()), transferred(channel.sent()), signature(channel.sent()),
                nonce(channel.received()), transferred(channel.received()), signature(channel.received())));
    }

    @Override
    public Optional<Channel> get(ChannelRef ref) {
        return reads.read(connection -> Sql.one(connection, SELECT + " WHERE " + KEY, JdbcChannelStore::channel,
                ref.chainId(), ref.contract(), ref.channelId()));
    }

    @Override
    public List<Channel> list() {
        return reads.read(connection -> Sql.list(connection, SELECT + ORDER, JdbcChannelStore::channel));
    }

    @Override
    public List<Channel> listByPartner(Address partner) {
        return reads.read(connection ->
                Sql.list(connection, SELECT + " WHERE partner = ?" + ORDER, JdbcChannelStore::channel, partner));
    }

    @Override
    public List<Channel> listOpen() {
        return reads.read(connection -> Sql.list(connection, SELECT + " WHERE state = ?" + ORDER,
                JdbcChannelStore::channel, ChannelState.OPEN));
    }

    @Override
    public boolean recordProof(ChannelRef ref, Direction direction, Signed<BalanceProof> proof) {
        ref.requireOwn(proof);
        long nonce = proof.message().nonce();
        String side = column(direction);
        // The nonce test is in the UPDATE itself, so the check and the write cannot be split by another writer.
        String sql = "UPDATE channels SET " + side + "_nonce = ?, " + side + "_transferred = ?, " + side
                + "_signature = ? WHERE " + KEY + " AND " + side + "_nonce < ?";
        return committer.write(connection -> {
            int updated = Sql.update(connection, sql, nonce, proof.message().transferred(), proof.signature().bytes(),
                    ref.chainId(), ref.contract(), ref.channelId(), nonce);
            if (updated == 1) {
                return true;
            }
            if (exists(connection, ref)) {
                return false;
            }
            throw new StoreException(StoreException.Code.UNKNOWN_CHANNEL,
                    "no channel " + ref + " is stored; put the channel before recording its proofs");
        });
    }

    private static boolean exists(Connection connection, ChannelRef ref) throws SQLException {
        return Sql.one(connection, "SELECT channel_id FROM channels WHERE " + KEY, rs -> true,
                ref.chainId(), ref.contract(), ref.channelId()).isPresent();
    }

    /** Upsert assignments that take the incoming proof only if its nonce is higher than the stored one. */
    private static String keepNewest(Direction direction) {
        String side = column(direction);
        String newer = "excluded." + side + "_nonce > channels." + side + "_nonce";
        return Stream.of("_nonce", "_transferred", "_signature")
                .map(field -> side + field + " = CASE WHEN " + newer + " THEN excluded." + side + field
                        + " ELSE channels." + side + field + " END")
                .collect(Collectors.joining(", "));
    }

    private static String column(Direction direction) {
        return direction.name().toLowerCase(Locale.ROOT);
    }

    // No proof yet is stored as nonce 0 with an empty signature, so "a higher nonce" needs no NULL case.
    private static long nonce(Optional<Signed<BalanceProof>> proof) {
        return proof.map(signed -> signed.message().nonce()).orElse(0L);
    }

    private static Amount transferred(Optional<Signed<BalanceProof>> proof) {
        return proof.map(signed -> signed.message().transferred()).orElse(Amount.ZERO);
    }

    private static byte[] signature(Optional<Signed<BalanceProof>> proof) {
        return proof.map(signed -> signed.signature().bytes()).orElse(new byte[0]);
    }

    private static Channel channel(ResultSet rs) throws SQLException {
        ChannelRef ref = new ChannelRef(rs.getLong("chain_id"), Sql.address(rs, "contract"), rs.getLong("channel_id"));
        return new Channel(
                ref,
                Sql.address(rs, "our_address"),
                Sql.address(rs, "partner"),
                Sql.address(rs, "token"),
                Sql.enumValue(rs, "our_role", Role.class),
                Sql.enumValue(rs, "state", ChannelState.class),
                rs.getLong("challenge_period"),
                new ChannelSide(Sql.amount(rs, "our_deposit"), Sql.amount(rs, "our_withdrawn")),
                new ChannelSide(Sql.amount(rs, "partner_deposit"), Sql.amount(rs, "partner_withdrawn")),
                Sql.optionalLong(rs, "settle_at").map(Instant::ofEpochSecond),
                proof(rs, ref, Direction.SENT),
                proof(rs, ref, Direction.RECEIVED));
    }

    private static Optional<Signed<BalanceProof>> proof(ResultSet rs, ChannelRef ref, Direction direction)
            throws SQLException {
        String side = column(direction);
        byte[] signature = Sql.bytes(rs, side + "_signature");
        if (signature.length == 0) {
            return Optional.empty();
        }
        BalanceProof proof = new BalanceProof(ref.channelId(), rs.getLong(side + "_nonce"), Sql.amount(rs, side + "_transferred"));
        return Optional.of(new Signed<>(proof, Signature.of(signature)));
    }
}
