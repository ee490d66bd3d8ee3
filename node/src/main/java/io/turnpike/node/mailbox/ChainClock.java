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

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the chain's clock is in UTC");
    }
}
