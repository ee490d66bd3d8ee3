package io.turnpike.chain.tx;

import io.turnpike.core.Amount;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * How the transaction manager judges its transactions.
 *
 * @param confirmations a transaction counts once its block and {@code confirmations − 1} more are on the
 *     chain (depth = head − block + 1); 4 suits L1-like chains
 * @param stuckAfter a transaction pending this long is replaced with a higher fee
 * @param stuckBlocks … as is one pending while this many blocks were mined without it
 * @param watchConfirmed how many blocks a confirmed transaction is still re-checked for a deeper re-org
 * @param maxFeePerGas the highest fee cap a replacement may offer, in wei per gas: a fee spiral stops here
 * @param clock judges {@code stuckAfter}
 */
public record TxConfig(int confirmations, Duration stuckAfter, int stuckBlocks, int watchConfirmed,
                       Amount maxFeePerGas, Clock clock) {

    public TxConfig {
        if (confirmations < 1 || stuckBlocks < 1 || watchConfirmed < 0) {
            throw new IllegalArgumentException("confirmations and stuckBlocks are at least 1, watchConfirmed at least 0");
        }
        Objects.requireNonNull(stuckAfter, "stuckAfter");
        if (stuckAfter.isNegative() || stuckAfter.isZero()) {
            throw new IllegalArgumentException("stuckAfter must be positive, got " + stuckAfter);
        }
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        Objects.requireNonNull(clock, "clock");
    }

    public static TxConfig defaults() {
        return new TxConfig(4, Duration.ofMinutes(3), 15, 64, Amount.of(1_000_000_000_000L), Clock.systemUTC());
    }

    public TxConfig withConfirmations(int blocks) {
        return new TxConfig(blocks, stuckAfter, stuckBlocks, watchConfirmed, maxFeePerGas, clock);
    }

    public TxConfig withStuckAfter(Duration after, int blocks) {
        return new TxConfig(confirmations, after, blocks, watchConfirmed, maxFeePerGas, clock);
    }

    public TxConfig withMaxFeePerGas(Amount cap) {
        return new TxConfig(confirmations, stuckAfter, stuckBlocks, watchConfirmed, cap, clock);
    }

    public TxConfig withClock(Clock newClock) {
        return new TxConfig(confirmations, stuckAfter, stuckBlocks, watchConfirmed, maxFeePerGas, newClock);
    }
}
