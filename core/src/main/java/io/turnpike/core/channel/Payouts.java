package io.turnpike.core.channel;

import io.turnpike.core.Amount;
import java.util.Objects;

/** What settlement pays each participant of a channel. */
public record Payouts(Amount a, Amount b) {

    public Payouts {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
    }
}
