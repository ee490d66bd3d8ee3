package io.turnpike.store;

/** Which way a balance proof goes: each participant signs only what it has sent. */
enum Direction {
    /** Proofs we signed for the partner: what we have paid. */
    SENT,
    /** Proofs the partner signed for us: what we have been paid. */
    RECEIVED
}
