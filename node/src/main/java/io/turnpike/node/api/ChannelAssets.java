package io.turnpike.node.api;

import io.turnpike.core.Address;
import io.turnpike.core.Asset;

/** What a channel's amounts are in, given only its token address: the API and the CLI both show them. */
public final class ChannelAssets {

    private ChannelAssets() {
    }

    /**
     * The node's own asset, or ether, for the token they use. A channel in some other token (a peer opened it; this
     * node does not price in it) is shown in that token's smallest unit, named by its address, rather than guessed.
     */
    public static Asset of(Address token, Asset nodeAsset) {
        if (token.equals(nodeAsset.token())) {
            return nodeAsset;
        }
        return token.isZero() ? Asset.ETH : new Asset(token.toString(), token, 0);
    }
}
