package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;

/**
 * A payment made on request.
 *
 * @param paidTotal everything paid to the peer so far, as the peer acknowledged it
 * @param owed what is still owed after the payment (usage may have continued meanwhile)
 */
public record PaymentResult(Address peer, Amount amount, Asset asset, long channelId, long nonce, Amount paidTotal,
                            Amount owed) {
}
