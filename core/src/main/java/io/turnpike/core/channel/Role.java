package io.turnpike.core.channel;

/** Which participant of the contract's channel we are; settlement formulas are written for A and B. */
public enum Role {
    A,
    B
}
