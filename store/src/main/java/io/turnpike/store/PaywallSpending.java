package io.turnpike.store;

import io.turnpike.core.Amount;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * What this node paid HTTP paywalls each UTC day, counted against its cap in the same unit of work as the payment
 * itself: a payment either counts and is written down, or neither.
 */
public interface PaywallSpending {

    /** The figures in {@code store}'s database. */
    static PaywallSpending of(Store store) {
        return new JdbcPaywallSpending(store.committer());
    }

    /** What was paid on {@code day}; zero for a day without payments. */
    Amount spentOn(LocalDate day);

    /**
     * The write that adds {@code amount} to what was paid on {@code day}, to carry in the payment's own unit (or to
     * {@link #write} alone). The cap is checked in that unit against the figure as stored, so of payments at once only
     * those that fit under it together pass.
     *
     * @param overCap the refusal for a payment that would take the day past {@code cap}, given what was paid that
     *     day so far; thrown from the unit, which then writes nothing (neither does the unit carrying it)
     */
    StoreWrite spend(LocalDate day, Amount amount, Amount cap, Function<Amount, RuntimeException> overCap);

    /** Commits {@code write} alone, durably when this returns. */
    void write(StoreWrite write);

    /**
     * Counts {@code spent} for {@code day} unless the store already counts as much: the day's figure from before the
     * store kept it (a file of its own). Taking the larger one, not the sum, makes carrying it over twice harmless.
     */
    void carryOver(LocalDate day, Amount spent);
}
