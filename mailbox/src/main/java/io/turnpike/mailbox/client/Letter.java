package io.turnpike.mailbox.client;

import java.time.Instant;

/** A message read from a mailbox, opened: its id there, when the provider received it, and what the sender wrote. */
public record Letter(long id, Instant receivedAt, byte[] message) {
}
