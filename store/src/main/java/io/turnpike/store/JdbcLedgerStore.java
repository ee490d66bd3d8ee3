package io.turnpike.store;

import io.turnpike.core.Amount;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class JdbcLedgerStore implements LedgerStore {

    private static final String FIGURES = "used, paid, in_flight, credit";
    private static final String KEY = "peer = ? AND token = ? AND debtor = ?";

    private final ReadPool reads;
    private final GroupCommitter committer;

    JdbcLedgerStore(ReadPool reads, GroupCommitter committer) {
        this.reads = reads;
        this.committer = committer;
    }

    @Override
    public LedgerBalance get(LedgerKey key) {
        return reads.read(connection -> find(connection, key)).orElse(LedgerBalance.ZERO);
    }

    @Override
    public Map<LedgerKey, LedgerBalance> all() {
        List<Map.Entry<LedgerKey, LedgerBalance>> rows = reads.read(connection -> Sql.list(connection,
                "SELECT peer, token, debtor, " + FIGURES + " FROM ledger ORDER BY peer, token, debtor",
                rs -> Map.entry(new LedgerKey(Sql.address(rs, "peer"), Sql.address(rs, "token"),
                        Sql.enumValue(rs, "debtor", Debtor.class)), balance(rs))));
        Map<LedgerKey, LedgerBalance> all = new LinkedHashMap<>();
        rows.forEach(row -> all.put(row.getKey(), row.getValue()));
        return Collections.unmodifiableMap(all);
    }

    @Override
    public LedgerBalance adjust(LedgerKey key, LedgerDelta delta) {
        return committer.write(adjustment(key, delta));
    }

    @Override
    public LedgerBalance adjust(LedgerKey key, LedgerDelta delta, List<DailyEarning> earned) {
        return committer.write(withEarnings(key, delta, earned));
    }

    @Override
    public StoreWrite adjustment(LedgerKey key, LedgerDelta delta, List<DailyEarning> earned) {
        return new StoreWrite(withEarnings(key, delta, earned));
    }

    private static Sql.Work<LedgerBalance> withEarnings(LedgerKey key, LedgerDelta delta, List<DailyEarning> earned) {
        Sql.Work<LedgerBalance> adjustment = adjustment(key, delta);
        return connection -> {
            LedgerBalance next = adjustment.run(connection);
            for (DailyEarning earning : earned) {
                addEarning(connection, earning);
            }
            return next;
        };
    }

    @Override
    public List<DailyEarning> earningsSince(LocalDate from) {
        return reads.read(connection -> Sql.list(connection,
                "SELECT day, service, token, earned FROM earnings_by_day WHERE day >= ? ORDER BY day, service, token",
                rs -> new DailyEarning(LocalDate.ofEpochDay(rs.getLong("day")), rs.getString("service"),
                        Sql.address(rs, "token"), Sql.amount(rs, "earned")), from.toEpochDay()));
    }

    private static void addEarning(Connection connection, DailyEarning earning) throws SQLException {
        Object[] key = {earning.day().toEpochDay(), earning.service(), earning.token()};
        Optional<Amount> stored = Sql.one(connection,
                "SELECT earned FROM earnings_by_day WHERE day = ? AND service = ? AND token = ?",
                rs -> Sql.amount(rs, "earned"), key);
        if (stored.isPresent()) {
            Sql.update(connection, "UPDATE earnings_by_day SET earned = ? WHERE day = ? AND service = ? AND token = ?",
                    stored.get().plus(earning.earned()), key[0], key[1], key[2]);
        } else {
            Sql.update(connection, "INSERT INTO earnings_by_day (day, service, token, earned) VALUES (?, ?, ?, ?)",
                    key[0], key[1], key[2], earning.earned());
        }
    }

    /** The unit of work behind {@link #adjust}: read, apply, write, atomic because units run one at a time. */
    static Sql.Work<LedgerBalance> adjustment(LedgerKey key, LedgerDelta delta) {
        return connection -> {
            Optional<LedgerBalance> stored = find(connection, key);
            LedgerBalance next;
            try {
                next = stored.orElse(LedgerBalance.ZERO).plus(delta);
            } catch (ArithmeticException e) {
                throw new ArithmeticException("adjusting " + key + " by " + delta
                        + " would take a figure below zero or past 2^256-1; nothing changed");
            }
            if (stored.isPresent()) {
                Sql.update(connection, "UPDATE ledger SET used = ?, paid = ?, in_flight = ?, credit = ? WHERE " + KEY,
                        next.used(), next.paid(), next.inFlight(), next.credit(), key.peer(), key.token(), key.debtor());
            } else {
                Sql.update(connection, "INSERT INTO ledger (peer, token, debtor, " + FIGURES + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                        key.peer(), key.token(), key.debtor(), next.used(), next.paid(), next.inFlight(), next.credit());
            }
            return next;
        };
    }

    private static Optional<LedgerBalance> find(Connection connection, LedgerKey key) throws SQLException {
        return Sql.one(connection, "SELECT " + FIGURES + " FROM ledger WHERE " + KEY, JdbcLedgerStore::balance,
                key.peer(), key.token(), key.debtor());
    }

    private static LedgerBalance balance(ResultSet rs) throws SQLException {
        return new LedgerBalance(Sql.amount(rs, "used"), Sql.amount(rs, "paid"), Sql.amount(rs, "in_flight"),
                Sql.amount(rs, "credit"));
    }
}
