package io.turnpike.node.control;

import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.util.Optional;

/**
 * A transaction this node is sending or waiting on, for an operator watching it gather confirmations.
 *
 * @param purpose what it does: "open", "deposit", "withdraw", "cooperative settle", "close", "proof update",
 *     "settle", or the transaction manager's own label for anything else (a wallet transfer)
 * @param channelId the channel it is for, when it is for one
 * @param state PENDING (sent, not in a block), MINED (in a block, not yet deep enough) or another status of the
 *     transaction manager
 * @param confirmations how deep its block is (0 while pending), at most {@code required}
 * @param required how deep a block must be for the node to count it (turnpike.chain.confirmations)
 * @param maxFeePerGas the most it may pay per unit of gas, in wei
 */
public record TransactionView(String purpose, Optional<Long> channelId, Bytes32 hash, String state, int confirmations,
                              int required, Amount maxFeePerGas) {
}
