package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;

/**
 * One client of this node's JSON-RPC front as it is served now (docs/rpc.md).
 *
 * @param tier {@code paid} (at a paid seat's capacity) or {@code free} (from the spare: a free client, or a paying one
 *     waiting for a seat)
 * @param capacity cost units per second its buffer refills at
 * @param buffer cost units in its buffer now
 * @param bufferLimit the most its buffer holds
 * @param pricePerUnit what a request of its admitted now pays per cost unit, in the node's asset's smallest unit
 * @param notificationsDropped subscription notifications dropped, unsent and unpaid, because its buffer did not hold
 *     them (since it was last forgotten)
 */
public record RpcClientView(Address client, String tier, long capacity, long buffer, long bufferLimit,
                            Amount pricePerUnit, long notificationsDropped) {
}
