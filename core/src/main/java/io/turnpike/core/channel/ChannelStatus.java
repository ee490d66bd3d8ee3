package io.turnpike.core.channel;

/** A channel's lifecycle as {@link Channel} moves it, in the only order it moves. */
public enum ChannelStatus {
    /** Proofs move both ways. */
    OPEN,
    /** This node signed a cooperative settlement: no proof moves any more; waiting for it to reach the chain. */
    CLOSING,
    /** Closed on chain; the challenge period runs. */
    CLOSED,
    /** Its money has gone out on chain. */
    SETTLED
}
