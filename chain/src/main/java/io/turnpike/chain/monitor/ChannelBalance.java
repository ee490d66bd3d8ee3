package io.turnpike.chain.monitor;

import io.turnpike.core.Amount;

/** What the contract holds for a channel, and the monitored owner's part of what went in and out. */
public record ChannelBalance(Amount held, Amount ownDeposit, Amount ownWithdrawn) {
}
