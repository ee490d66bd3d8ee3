package io.turnpike.node.mailbox;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The chain's time as this node last saw it, never behind the node's own clock: what the market's expiries are
 * counted in (the contract's {@code block.timestamp}), so a subscription ends here when it ends on chain, even on a
 * chain whose clock was moved ahead (anvil's time travel in tests and demos). The chain loop tells it each new block.
 */
public final class ChainClock extends Clock {

    private final Clock own;
    private volatile Instant latestBlock = Instant.EPOCH;

    public ChainClock(Clock own) {
        this.own = own;
    }

    /** The newest block's timestamp. */
    public void observed(Instant blockTime) {
        latestBlock = blockTime;
    }

    @Override
    public Instant instant() {
        Instant now = own.instant();
        Instant chain = latestBlock;
        return chain.isAfter(now) ? chain : now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same time, told in {@code zone}: what a date shown to a person is read from. */
    @Override
    public Clock withZone(ZoneId zone) {
        ChainClock chain = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return chain.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return chain.withZone(other);
            }
        };
    }
}
