package io.turnpike.store;

/** The contract's lifecycle, with the same names: OPEN → CLOSED (challenge period) → SETTLED. */
public enum ChannelState {
    OPEN,
    CLOSED,
    SETTLED
}
