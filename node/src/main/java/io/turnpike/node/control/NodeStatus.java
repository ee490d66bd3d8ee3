package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Asset;

/**
 * The node at a glance.
 *
 * @param chainStale true when no new block was seen for the configured time: enforcement that depends on
 *     the chain is paused
 * @param services what this node sells ("bandwidth") and what it buys through its local entry
 */
public record NodeStatus(Address address, long chainId, Address contract, long headBlock, boolean chainStale,
                         Asset asset, java.util.List<String> services, Integer localSocksPort, Integer relayPort,
                         int peerPort) {
}
