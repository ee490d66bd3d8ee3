package io.turnpike.store;

import java.time.Instant;
import java.util.Objects;

/** An envelope in a mailbox: its id (ids only grow, per mailbox), when it arrived, and its sealed bytes. */
public record StoredEnvelope(long id, Instant receivedAt, byte[] envelope) {

    public StoredEnvelope {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(envelope, "envelope");
    }
}
