package io.turnpike.node.control;

import io.turnpike.core.Amount;
import java.time.LocalDate;
import java.util.List;

/**
 * What this node's clients used of each service it sells, priced, per day (UTC), over the last days asked for: what it
 * earned, paid or still owed. Days and services nothing was used on are left out.
 */
public record EarningsView(LocalDate from, LocalDate to, List<Day> days) {

    /** How many days back the view reaches, today included: a month, which the dashboard charts. */
    public static final int DAYS = 30;

    public EarningsView {
        days = List.copyOf(days);
    }

    public record Day(LocalDate day, String service, Amount earned) {
    }
}
