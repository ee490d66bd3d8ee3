package io.turnpike.rpc;

/**
 * What one JSON-RPC call costs, in cost units: {@code base + perItem × N}, where N is the number of blocks the call
 * spans — the blocks of an {@code eth_getLogs} range, the {@code blockCount} of {@code eth_feeHistory} — and 0 for
 * every other method.
 */
public record MethodCost(long base, long perItem) {

    public MethodCost {
        if (base < 0 || perItem < 0) {
            throw new IllegalArgumentException("costs are 0 or more units, got base " + base + ", per item " + perItem);
        }
    }

    public static MethodCost of(long base) {
        return new MethodCost(base, 0);
    }

    /** The cost of a call spanning {@code items} blocks; past what a long holds, the most it holds (never admitted). */
    public long forItems(long items) {
        try {
            return Math.addExact(base, Math.multiplyExact(perItem, items));
        } catch (ArithmeticException beyondAnyBuffer) {
            return Long.MAX_VALUE;
        }
    }
}
