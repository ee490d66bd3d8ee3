package io.turnpike.node.tower;

import io.turnpike.node.config.NodeConfig;
import java.time.Instant;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one watchtower holds for this node, as far as its signed receipts prove it.
 *
 * @param heldNonces per channel id, the newest nonce the tower acknowledged with a receipt this node checked
 * @param receivedAt per channel id, when that receipt came
 * @param lastFailure why the last upload to it failed, while it keeps failing; empty once one succeeds
 */
public record TowerHoldings(NodeConfig.Tower tower, SortedMap<Long, Long> heldNonces,
                            SortedMap<Long, Instant> receivedAt, Optional<Failure> lastFailure) {

    public TowerHoldings {
        heldNonces = Collections.unmodifiableSortedMap(new TreeMap<>(heldNonces));
        receivedAt = Collections.unmodifiableSortedMap(new TreeMap<>(receivedAt));
    }

    /** An upload that failed: when, and why in a sentence. */
    public record Failure(Instant at, String problem) {
    }
}
