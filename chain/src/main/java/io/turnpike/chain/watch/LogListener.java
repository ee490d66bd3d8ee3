package io.turnpike.chain.watch;

import org.web3j.protocol.core.methods.response.Log;

/**
 * Receives the logs a {@link LogWatcher} reads, undecoded, for a listener that decodes another contract's events
 * than TurnpikeChannels'. The same at-least-once rules as {@link ChannelEventListener}: handling a log again must
 * change nothing, and {@link #onRewind} takes back what was delivered from the re-organised blocks.
 */
public interface LogListener {

    /**
     * The next log of the contract, in chain order; an exception stops the poll and the log comes again.
     *
     * @return whether it was an event this listener takes (what {@link LogWatcher#poll()} counts)
     */
    boolean onLog(Log log);

    /** As {@link ChannelEventListener#onRewind}. */
    void onRewind(long fromBlock);
}
