package io.turnpike.tower;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Keccak256;
import java.time.Instant;

/**
 * When this tower submits inside a challenge period: after {@code startPercent} of it (the node's own
 * chance), plus a stagger of up to {@code staggerPercent} drawn from the tower's address, so that towers
 * guarding the same channel act one after the other and each simulates against what the earlier did.
 */
final class SubmissionWindow {

    private static final long STAGGER_STEPS = 1 << 16;

    private final int startPercent;
    private final int staggerPercent;
    private final long staggerStep;

    SubmissionWindow(int startPercent, int staggerPercent, Address tower) {
        this.startPercent = startPercent;
        this.staggerPercent = staggerPercent;
        byte[] hash = Keccak256.hash(tower.bytes());
        this.staggerStep = ((hash[0] & 0xffL) << 8) | (hash[1] & 0xffL);
    }

    /** The moment to act for a channel closed with {@code settleAt} (epoch seconds) and {@code period} seconds. */
    Instant actAt(long settleAt, long period) {
        long closedAt = settleAt - period;
        long wait = period * startPercent / 100 + period * staggerPercent * staggerStep / (100 * STAGGER_STEPS);
        return Instant.ofEpochSecond(closedAt + wait);
    }

    /** The last moment the contract takes an update: {@code block.timestamp <= settleAt}. */
    static Instant deadline(long settleAt) {
        return Instant.ofEpochSecond(settleAt);
    }
}
