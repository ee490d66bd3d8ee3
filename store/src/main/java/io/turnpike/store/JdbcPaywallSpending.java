package io.turnpike.store;

import io.turnpike.core.Amount;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Function;

/** Reads go through the committer too: the cap is read where it is written, and only to report on or check. */
final class JdbcPaywallSpending implements PaywallSpending {

    private final GroupCommitter committer;

    JdbcPaywallSpending(GroupCommitter committer) {
        this.committer = committer;
    }

    @Override
    public Amount spentOn(LocalDate day) {
        return committer.write(connection -> stored(connection, day)).orElse(Amount.ZERO);
    }

    @Override
    public StoreWrite spend(LocalDate day, Amount amount, Amount cap, Function<Amount, RuntimeException> overCap) {
        return new StoreWrite(connection -> {
            Optional<Amount> stored = stored(connection, day);
            Amount spent = stored.orElse(Amount.ZERO);
            if (spent.plus(amount).isGreaterThan(cap)) {
                throw overCap.apply(spent);
            }
            put(connection, day, stored.isPresent(), spent.plus(amount));
            return null;
        });
    }

    @Override
    public void write(StoreWrite write) {
        committer.write(write.work);
    }

    @Override
    public void carryOver(LocalDate day, Amount spent) {
        committer.write(connection -> {
            Optional<Amount> stored = stored(connection, day);
            if (stored.isEmpty() || stored.get().isLessThan(spent)) {
                put(connection, day, stored.isPresent(), spent);
            }
            return null;
        });
    }

    private static Optional<Amount> stored(Connection connection, LocalDate day) throws SQLException {
        return Sql.one(connection, "SELECT spent FROM paywall_spending WHERE day = ?", rs -> Sql.amount(rs, "spent"),
                day.toEpochDay());
    }

    private static void put(Connection connection, LocalDate day, boolean stored, Amount spent) throws SQLException {
        if (stored) {
            Sql.update(connection, "UPDATE paywall_spending SET spent = ? WHERE day = ?", spent, day.toEpochDay());
        } else {
            Sql.update(connection, "INSERT INTO paywall_spending (day, spent) VALUES (?, ?)", day.toEpochDay(), spent);
        }
    }
}
