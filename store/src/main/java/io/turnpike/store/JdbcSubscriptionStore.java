package io.turnpike.store;

import io.turnpike.core.Address;
import java.util.List;

final class JdbcSubscriptionStore implements SubscriptionStore {

    private final ReadPool reads;
    private final GroupCommitter committer;

    JdbcSubscriptionStore(ReadPool reads, GroupCommitter committer) {
        this.reads = reads;
        this.committer = committer;
    }

    @Override
    public void record(Address market, ObservedSubscription event) {
        committer.write(connection -> Sql.update(connection, "INSERT INTO market_subscriptions (market, block_number,"
                        + " block_hash, log_index, subscriber, beneficiary, provider, plan_id, periods, paid, expires_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (market, block_hash, log_index) DO NOTHING",
                market, event.block().number(), event.block().hash(), event.logIndex(), event.subscriber(),
                event.beneficiary(), event.provider(), event.planId(), event.periods(), event.paid(),
                event.expiresAt()));
    }

    @Override
    public void forgetFrom(Address market, long fromBlock) {
        committer.write(connection -> Sql.update(connection,
                "DELETE FROM market_subscriptions WHERE market = ? AND block_number >= ?", market, fromBlock));
    }

    @Override
    public List<ObservedSubscription> all(Address market) {
        return reads.read(connection -> Sql.list(connection, "SELECT block_number, block_hash, log_index, subscriber,"
                        + " beneficiary, provider, plan_id, periods, paid, expires_at FROM market_subscriptions"
                        + " WHERE market = ? ORDER BY block_number, log_index",
                rs -> new ObservedSubscription(new BlockRef(rs.getLong("block_number"), Sql.bytes32(rs, "block_hash")),
                        rs.getLong("log_index"), Sql.address(rs, "subscriber"), Sql.address(rs, "beneficiary"),
                        Sql.address(rs, "provider"), rs.getLong("plan_id"), rs.getLong("periods"),
                        Sql.amount(rs, "paid"), rs.getLong("expires_at")),
                market));
    }
}
