package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;

/** What "pay debts now" would send: "Transfer 0.0042 ETH to 0x…?". */
public record PaymentPreview(Address peer, Amount amount, Asset asset, long channelId) {

    public String question() {
        return "Transfer " + asset.format(amount) + " to " + peer + "?";
    }
}
