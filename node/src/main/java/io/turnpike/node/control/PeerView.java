package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.Optional;

/**
 * One peer and the money between us, per direction.
 *
 * @param role what the peer is to this node: "provider" (we buy from it) or "client" (it buys from us)
 * @param tier the client's current tier at this provider ("paid" or "free"), or the tier the provider put us in
 * @param used metered usage, priced
 * @param paid what has been paid and acknowledged
 * @param owed used minus paid, never negative
 * @param credit overpayment kept as credit
 * @param inFlight sent and not yet acknowledged
 */
public record PeerView(Address address, boolean connected, String role, String tier, Amount used, Amount paid,
                       Amount owed, Amount credit, Amount inFlight, Optional<Long> channelId) {
}
