package io.turnpike.store;

import io.turnpike.core.crypto.Bytes32;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Reads as well as writes go through the committer: the store's read pool is its own, and a paywall reads its
 * records only to report on them, never on a request's path.
 */
final class JdbcPaywallStore implements PaywallStore {

    private static final String KEY = "chain_id = ? AND token = ? AND payer = ? AND nonce = ?";

    private final GroupCommitter committer;
    private final Clock clock;

    JdbcPaywallStore(GroupCommitter committer, Clock clock) {
        this.committer = committer;
        this.clock = clock;
    }

    @Override
    public boolean claim(PaywallAuthorization authorization) {
        PaywallAuthorization.Key key = authorization.key();
        // The primary key decides, not a read before the write: another process on the same database may insert
        // between the two, and the engine serialises the conflict either way.
        return committer.write(connection -> Sql.update(connection,
                "INSERT INTO paywall_authorizations (chain_id, token, payer, nonce, pay_to, amount, tx_hash, claimed_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (chain_id, token, payer, nonce) DO NOTHING",
                key.chainId(), key.token(), key.payer(), key.nonce(), authorization.payTo(), authorization.amount(),
                authorization.txHash().orElse(null), clock.instant())) == 1;
    }

    @Override
    public void settled(PaywallAuthorization.Key key, Bytes32 txHash, boolean earned) {
        committer.write(connection -> {
            Optional<PaywallAuthorization> claimed = find(connection, key);
            if (claimed.isEmpty() || claimed.get().txHash().isPresent()) {
                return null; // recorded already: its earnings are in the ledger once
            }
            Sql.update(connection, "UPDATE paywall_authorizations SET tx_hash = ? WHERE " + KEY, txHash,
                    key.chainId(), key.token(), key.payer(), key.nonce());
            if (earned) {
                BigInteger value = claimed.get().amount().value();
                JdbcLedgerStore.adjustment(new LedgerKey(key.payer(), key.token(), Debtor.PEER),
                        LedgerDelta.NONE.withUsed(value).withPaid(value)).run(connection);
            }
            return null;
        });
    }

    @Override
    public void release(PaywallAuthorization.Key key) {
        // A settled one stays: its transaction is out, and the nonce is spent on chain.
        committer.write(connection -> Sql.update(connection, "DELETE FROM paywall_authorizations WHERE " + KEY
                + " AND tx_hash IS NULL", key.chainId(), key.token(), key.payer(), key.nonce()));
    }

    @Override
    public Optional<PaywallAuthorization> find(PaywallAuthorization.Key key) {
        return committer.write(connection -> find(connection, key));
    }

    private static Optional<PaywallAuthorization> find(Connection connection, PaywallAuthorization.Key key)
            throws SQLException {
        return Sql.one(connection, "SELECT pay_to, amount, tx_hash FROM paywall_authorizations WHERE " + KEY,
                rs -> new PaywallAuthorization(key, Sql.address(rs, "pay_to"), Sql.amount(rs, "amount"),
                        Sql.optionalBytes32(rs, "tx_hash")),
                key.chainId(), key.token(), key.payer(), key.nonce());
    }
}
