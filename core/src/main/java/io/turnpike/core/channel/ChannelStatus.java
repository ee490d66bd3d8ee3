package io.turnpike.core.channel;

/** A channel's lifecycle, with the contract's names, in the only order it moves. */
public enum ChannelStatus {
    OPEN,
    /** Closed on chain; the challenge period runs. */
    CLOSED,
    SETTLED
}
