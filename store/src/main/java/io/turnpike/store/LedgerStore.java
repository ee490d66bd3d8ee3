package io.turnpike.store;

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
}
