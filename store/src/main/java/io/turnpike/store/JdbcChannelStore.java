package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.Signature;
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
            + " sent_nonce, sent_transferred, sent_signature, received_nonce, received_transferred, received_signature,"
            + " on_chain_sent, on_chain_received, on_chain_closer, our_pending_withdraw, our_pending_expiry, partner_pending_withdraw,"
            + " partner_pending_expiry";
    private static final String KEY = "chain_id = ? AND contract = ? AND channel_id = ?";
    private static final String SELECT = "SELECT " + COLUMNS + " FROM channels";
    private static final String ORDER = " ORDER BY chain_id, contract, channel_id";
    private static final String PUT = "INSERT INTO channels (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (chain_id, contract, channel_id) DO UPDATE SET"
            + " our_address = excluded.our_address, partner = excluded.partner, token = excluded.token,"
            + " our_role = excluded.our_role, state = excluded.state, challenge_period = excluded.challenge_period,"
            + " our_deposit = excluded.our_deposit, our_withdrawn = excluded.our_withdrawn,"
            + " partner_deposit = excluded.partner_deposit, partner_withdrawn = excluded.partner_withdrawn,"
            + " settle_at = excluded.settle_at, on_chain_sent = excluded.on_chain_sent,"
            + " on_chain_received = excluded.on_chain_received, on_chain_closer = excluded.on_chain_closer,"
            + " our_pending_withdraw = excluded.our_pending_withdraw,"
            + " our_pending_expiry = excluded.our_pending_expiry,"
            + " partner_pending_withdraw = excluded.partner_pending_withdraw,"
            + " partner_pending_expiry = excluded.partner_pending_expiry, " + keepNewest(Direction.SENT) + ", " + keepNewest(Direction.RECEIVED);

    private final ReadPool reads;
    private final GroupCommitter committer;

    JdbcChannelStore(ReadPool reads, GroupCommitter committer) {
        this.reads = reads;
        this.committer = committer;
    }

    @Override
    public void put(Channel channel) {
        put(channel, List.of());
    }

    @Override
    public void put(Channel channel, List<StoreWrite> with) {
        ChannelRef ref = channel.ref();
        committer.write(connection -> {
            Sql.update(connection, PUT,
                    ref.chainId(), ref.contract(), ref.channelId(), channel.self(), channel.partner(), channel.token(),
                    channel.role(), channel.status(), channel.challengePeriodSeconds(),
                    channel.own().deposit(), channel.own().withdrawn(),
                    channel.partnerSide().deposit(), channel.partnerSide().withdrawn(),
                    channel.settleAt().map(Instant::getEpochSecond).orElse(null),
                    nonce(channel.sent()), transferred(channel.sent()), signature(channel.sent()),
                    nonce(channel.received()), transferred(channel.received()), signature(channel.received()),
                    channel.onChain().map(t -> Sql.amountColumn(t.sent())).orElse(null),
                    channel.onChain().map(t -> Sql.amountColumn(t.received())).orElse(null),
                    channel.onChain().map(Channel.Transfers::closer).orElse(null),
                    pendingTotal(channel.own()), pendingExpiry(channel.own()),
                    pendingTotal(channel.partnerSide()), pendingExpiry(channel.partnerSide()));
            for (StoreWrite write : with) {
                write.work.run(connection);
            }
            return null;
        });
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

    private static String pendingTotal(ChannelSide side) {
        return side.pending().map(p -> Sql.amountColumn(p.total())).orElse(null);
    }

    private static Long pendingExpiry(ChannelSide side) {
        return side.pending().map(ChannelSide.PendingWithdraw::expiry).orElse(null);
    }

    private static ChannelSide side(ResultSet rs, String side) throws SQLException {
        String pending = rs.getString(side + "_pending_withdraw");
        return new ChannelSide(Sql.amount(rs, side + "_deposit"), Sql.amount(rs, side + "_withdrawn"),
                pending == null ? Optional.empty() : Optional.of(new ChannelSide.PendingWithdraw(Sql.amount(pending),
                        rs.getLong(side + "_pending_expiry"))));
    }

    private static Channel channel(ResultSet rs) throws SQLException {
        long channelId = rs.getLong("channel_id");
        String onChainSent = rs.getString("on_chain_sent");
        String onChainReceived = rs.getString("on_chain_received");
        Optional<Channel.Transfers> onChain = onChainSent == null || onChainReceived == null ? Optional.empty()
                : Optional.of(new Channel.Transfers(Sql.amount(onChainSent), Sql.amount(onChainReceived),
                        Sql.address(rs, "on_chain_closer")));
        return new Channel(
                Eip712Domain.turnpike(rs.getLong("chain_id"), Sql.address(rs, "contract")),
                channelId,
                Sql.address(rs, "our_address"),
                Sql.address(rs, "partner"),
                Sql.address(rs, "token"),
                Sql.enumValue(rs, "our_role", Role.class),
                Sql.enumValue(rs, "state", ChannelStatus.class),
                rs.getLong("challenge_period"),
                side(rs, "our"),
                side(rs, "partner"),
                Sql.optionalLong(rs, "settle_at").map(Instant::ofEpochSecond),
                proof(rs, channelId, Direction.SENT),
                proof(rs, channelId, Direction.RECEIVED),
                onChain);
    }

    private static Optional<Signed<BalanceProof>> proof(ResultSet rs, long channelId, Direction direction)
            throws SQLException {
        String side = column(direction);
        byte[] signature = Sql.bytes(rs, side + "_signature");
        if (signature.length == 0) {
            return Optional.empty();
        }
        BalanceProof proof = new BalanceProof(channelId, rs.getLong(side + "_nonce"), Sql.amount(rs, side + "_transferred"));
        return Optional.of(new Signed<>(proof, Signature.of(signature)));
    }
}
