package io.turnpike.chain.rpc;

import java.time.Instant;

/**
 * What the node knows of the chain's progress. Enforcement that depends on the chain (a deadline, a
 * balance) is not started while the view is stale: an RPC outage must not punish anyone.
 */
public interface ChainView {

    long chainId();

    /** The highest block number any endpoint has reported; -1 before the first. */
    long highestBlock();

    /** When {@link #highestBlock()} last grew (or when the view was created). */
    Instant lastNewBlockAt();

    /** True when no new block has been seen for longer than the configured {@code staleAfter}. */
    boolean isStale();
}
