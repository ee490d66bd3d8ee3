package io.turnpike.store;

/** Who owes in one direction of a peer relationship. */
public enum Debtor {
    /** We use the peer's service and owe the peer. */
    US,
    /** The peer uses our service and owes us. */
    PEER
}
