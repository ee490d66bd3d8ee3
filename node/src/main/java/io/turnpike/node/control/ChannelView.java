package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.Optional;

/**
 * One channel as this node sees it.
 *
 * @param state OPEN, CLOSED (challenge period running until {@code settleAt}) or SETTLED
 * @param sent everything this node has paid in the channel (its newest proof)
 * @param received everything the partner has paid (the partner's newest proof)
 * @param spendable what this node can still pay in the channel
 */
public record ChannelView(long channelId, Address partner, Address token, String state, Amount ownDeposit,
                          Amount partnerDeposit, Amount sent, Amount received, Amount spendable,
                          Optional<Instant> settleAt) {
}
