package io.turnpike.store;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** What we owe each peer and what each peer owes us. Every write is durable when the call returns. */
public interface LedgerStore {

    /** The balance, {@link LedgerBalance#ZERO} for a direction never adjusted. */
    LedgerBalance get(LedgerKey key);

    /** Every direction ever adjusted. */
    Map<LedgerKey, LedgerBalance> all();

    /**
     * Applies {@code delta} atomically: concurrent adjustments all count.
     *
     * @return the balance after it
     * @throws ArithmeticException if a figure would drop below zero (or pass 2^256-1); nothing changes
     */
    LedgerBalance adjust(LedgerKey key, LedgerDelta delta);

    /**
     * Applies {@code delta} and adds {@code earned} to each day's earnings, in one unit of work: a provider books what
     * its clients used this way, so the earnings over time always add up to what the ledger counts as used.
     *
     * @throws ArithmeticException as {@link #adjust}; nothing changes
     */
    LedgerBalance adjust(LedgerKey key, LedgerDelta delta, List<DailyEarning> earned);

    /**
     * The write of {@link #adjust(LedgerKey, LedgerDelta, List)}, for another store's write to carry in its unit (a
     * channel's proof and the usage it pays for, in one commit). Refused as {@code adjust} is, inside that unit.
     */
    StoreWrite adjustment(LedgerKey key, LedgerDelta delta, List<DailyEarning> earned);

    /** The earnings of every day from {@code from} on, by day then service then asset. */
    List<DailyEarning> earningsSince(LocalDate from);
}
