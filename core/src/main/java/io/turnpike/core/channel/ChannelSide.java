package io.turnpike.core.channel;

import io.turnpike.core.Amount;
import java.util.Objects;

/** One participant's money in a channel, as totals: the contract only ever raises them. */
public record ChannelSide(Amount deposit, Amount withdrawn) {

    public static final ChannelSide EMPTY = new ChannelSide(Amount.ZERO, Amount.ZERO);

    public ChannelSide {
        Objects.requireNonNull(deposit, "deposit");
        Objects.requireNonNull(withdrawn, "withdrawn");
    }
}
