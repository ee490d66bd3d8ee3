package io.turnpike.core.market;

/**
 * What this node itself saw a provider do wrong: each counter only grows, and the node keeps them across restarts so
 * it remembers who misbehaved.
 *
 * @param undelivered times it asked to be paid for more than this node's own meter saw beyond the tolerance
 * @param refusedProofs times it answered this node's payment with an error instead of a receipt
 * @param disconnects times its connection dropped while this node was using it
 */
public record ProviderHistory(long undelivered, long refusedProofs, long disconnects) {

    public static final ProviderHistory CLEAN = new ProviderHistory(0, 0, 0);

    public ProviderHistory {
        if (undelivered < 0 || refusedProofs < 0 || disconnects < 0) {
            throw new IllegalArgumentException("a provider's history counts events; none can be negative");
        }
    }

    public ProviderHistory plus(ProviderHistory more) {
        return new ProviderHistory(undelivered + more.undelivered, refusedProofs + more.refusedProofs,
                disconnects + more.disconnects);
    }
}
