package io.turnpike.chain.watch;

import io.turnpike.chain.ChannelEvent;
import io.turnpike.core.crypto.Bytes32;

/** A contract event and where the chain holds it; (blockHash, logIndex) identifies it across re-deliveries. */
public record ObservedEvent(ChannelEvent event, long blockNumber, Bytes32 blockHash, long logIndex,
                            Bytes32 transactionHash) {
}
