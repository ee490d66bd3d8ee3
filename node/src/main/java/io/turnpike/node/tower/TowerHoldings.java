package io.turnpike.node.tower;

import io.turnpike.node.config.NodeConfig;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one watchtower holds for this node, as far as its signed receipts prove it.
 *
 * @param heldNonces per channel id, the newest nonce the tower acknowledged with a receipt this node checked
 */
public record TowerHoldings(NodeConfig.Tower tower, SortedMap<Long, Long> heldNonces) {

    public TowerHoldings {
        heldNonces = Collections.unmodifiableSortedMap(new TreeMap<>(heldNonces));
    }
}
