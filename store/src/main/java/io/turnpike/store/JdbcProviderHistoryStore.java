package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.market.ProviderHistory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

final class JdbcProviderHistoryStore implements ProviderHistoryStore {

    private static final String COLUMNS = "undelivered, refused_proofs, disconnects";

    private final ReadPool reads;
    private final GroupCommitter committer;

    JdbcProviderHistoryStore(ReadPool reads, GroupCommitter committer) {
        this.reads = reads;
        this.committer = committer;
    }

    @Override
    public ProviderHistory add(Address provider, ProviderHistory events) {
        // Read back in the same unit: the committer runs units one at a time, so no other add falls in between.
        return committer.write(connection -> {
            Sql.update(connection, "INSERT INTO provider_history (provider, " + COLUMNS + ") VALUES (?, ?, ?, ?)"
                            + " ON CONFLICT (provider) DO UPDATE SET"
                            + " undelivered = provider_history.undelivered + excluded.undelivered,"
                            + " refused_proofs = provider_history.refused_proofs + excluded.refused_proofs,"
                            + " disconnects = provider_history.disconnects + excluded.disconnects",
                    provider, events.undelivered(), events.refusedProofs(), events.disconnects());
            return Sql.one(connection, "SELECT " + COLUMNS + " FROM provider_history WHERE provider = ?",
                    JdbcProviderHistoryStore::history, provider).orElseThrow();
        });
    }

    @Override
    public Map<Address, ProviderHistory> all() {
        return reads.read(connection -> {
            Map<Address, ProviderHistory> all = new LinkedHashMap<>();
            Sql.list(connection, "SELECT provider, " + COLUMNS + " FROM provider_history ORDER BY provider",
                    rs -> Map.entry(Sql.address(rs, "provider"), history(rs))).forEach(e -> all.put(e.getKey(),
                    e.getValue()));
            return all;
        });
    }

    private static ProviderHistory history(ResultSet rs) throws SQLException {
        return new ProviderHistory(rs.getLong("undelivered"), rs.getLong("refused_proofs"), rs.getLong("disconnects"));
    }
}
