package io.turnpike.store;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.Objects;

/** A reward a watchtower was paid when a channel it defended settled, in the channel's asset. */
public record TowerReward(long channelId, Address token, Amount amount) {

    public TowerReward {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(amount, "amount");
    }
}
