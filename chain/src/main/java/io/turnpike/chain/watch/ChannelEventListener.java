package io.turnpike.chain.watch;

/**
 * Receives what a {@link LogWatcher} reads. Delivery is at least once: after a restart or a re-org the
 * same event may come again, so handling one must be idempotent (key it by block hash and log index, or
 * rely on the contract's totals and nonces, which only grow).
 */
public interface ChannelEventListener {

    /** The next event in chain order. An exception stops the poll; the event comes again next poll. */
    void onEvent(ObservedEvent event);

    /**
     * Blocks from {@code fromBlock} on were re-organised: any event delivered from them may no longer be on
     * the chain. The events of the new blocks are delivered next, so dropping what was delivered from
     * {@code fromBlock} on and taking what follows gives the canonical chain's events.
     */
    void onRewind(long fromBlock);
}
