package io.turnpike.rpc;

import java.util.OptionalLong;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A call's cost under the {@link CostTable}: the most it can cost, known before it is served, and what it really
 * cost, known from the answer (LES's {@code MaxCost} and {@code realCost}). Only {@code eth_getLogs} costs less than
 * its maximum: its maximum counts the blocks of its range, its real cost the logs returned — at the same rate, never
 * more than the maximum — since an empty range costs a node little and every log returned costs it a read.
 */
final class Pricing {

    static final String GET_LOGS = "eth_getLogs";
    static final String FEE_HISTORY = "eth_feeHistory";
    /** The subscription kind whose notifications are priced per log. */
    static final String LOGS_KIND = "logs";
    /** The subscription kind of new blocks' headers, whose missed numbers the front can tell after a break. */
    static final String NEW_HEADS_KIND = "newHeads";

    /** A call admitted for pricing: its cost entry, the blocks it spans, and its maximum cost. */
    record Priced(RpcCall call, MethodCost cost, long items, long maxCost) {
    }

    private final CostTable costs;
    private final RpcLimits limits;

    Pricing(CostTable costs, RpcLimits limits) {
        this.costs = costs;
        this.limits = limits;
    }

    /** The table this prices by. */
    CostTable costs() {
        return costs;
    }

    /**
     * @param head the newest block number, asked only when a call names a block by tag
     * @throws RpcRefused a method not in the table, params it cannot read, a range past the limit, or no head to
     *     resolve a tag with
     */
    Priced price(RpcCall call, Supplier<OptionalLong> head) throws RpcRefused {
        MethodCost cost = costs.cost(call.method()).orElseThrow(() -> new RpcRefused(RpcRefusal.METHOD_NOT_SERVED,
                "this provider does not serve " + call.method() + "; the methods it serves are in its cost table"));
        long items = switch (call.method()) {
            case GET_LOGS -> logsRange(call.params().path(0), head);
            case FEE_HISTORY -> quantity(call.params().path(0)).orElseThrow(() -> new RpcRefused(
                    RpcRefusal.INVALID_PARAMS, "eth_feeHistory's first parameter is its number of blocks, as a "
                    + "quantity"));
            default -> 0;
        };
        return new Priced(call, cost, items, cost.forItems(items));
    }

    /** What {@code priced} cost, given the upstream's answer to it. */
    static long realCost(Priced priced, JsonNode answer) {
        if (!priced.call().method().equals(GET_LOGS)) {
            return priced.maxCost();
        }
        JsonNode logs = answer.path("result");
        return priced.cost().forItems(logs.isArray() ? Math.min(priced.items(), logs.size()) : 0);
    }

    /**
     * What one notification of a subscription of {@code kind} costs, given the notification's {@code result}: a logs
     * notification carries one log (an array of them is counted log by log), any other kind is its base.
     */
    static long notificationCost(MethodCost cost, String kind, JsonNode result) {
        if (!kind.equals(LOGS_KIND)) {
            return cost.base();
        }
        return cost.forItems(result.isArray() ? result.size() : 1);
    }

    /** The blocks an {@code eth_getLogs} filter spans; a block hash names one. */
    private long logsRange(JsonNode filter, Supplier<OptionalLong> head) throws RpcRefused {
        if (!filter.isObject()) {
            throw new RpcRefused(RpcRefusal.INVALID_PARAMS, "eth_getLogs takes one filter object");
        }
        if (filter.hasNonNull("blockHash")) {
            return 1;
        }
        long from = block(filter.get("fromBlock"), head);
        long to = block(filter.get("toBlock"), head);
        long blocks = Math.max(0, to - from + 1);
        if (blocks > limits.maxLogsRange()) {
            throw new RpcRefused(RpcRefusal.RANGE_TOO_WIDE, "eth_getLogs spans " + blocks + " blocks; this provider "
                    + "serves at most " + limits.maxLogsRange() + " at once: split the range");
        }
        return blocks;
    }

    /**
     * A block of a filter. {@code safe} and {@code finalized} count as the head: they are never above it, and trail it
     * by the chain's finality depth at most, so a range they start is counted a little short rather than refused.
     */
    private static long block(JsonNode block, Supplier<OptionalLong> head) throws RpcRefused {
        if (block == null || block.isNull()) {
            return newest(head);
        }
        if (block.isString()) {
            switch (block.stringValue()) {
                case "earliest" -> {
                    return 0;
                }
                case "latest", "pending", "safe", "finalized" -> {
                    return newest(head);
                }
                default -> {
                }
            }
        }
        return quantity(block).orElseThrow(() -> new RpcRefused(RpcRefusal.INVALID_PARAMS, "a block is a hex quantity "
                + "(\"0x1b4\") or a tag (earliest, latest, pending, safe, finalized); got " + block));
    }

    private static long newest(Supplier<OptionalLong> head) throws RpcRefused {
        return head.get().orElseThrow(() -> new RpcRefused(RpcRefusal.UPSTREAM_UNAVAILABLE, "the provider's node "
                + "cannot tell its newest block now, which a block tag needs; try again shortly"));
    }

    /** A JSON-RPC quantity: {@code "0x…"} hex, or (as some clients send) a plain non-negative integer. */
    static OptionalLong quantity(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
            return OptionalLong.of(value.longValue());
        }
        if (value.isString()) {
            String text = value.stringValue();
            if (text.startsWith("0x") && text.length() > 2 && text.length() <= 18) {
                try {
                    long number = Long.parseUnsignedLong(text.substring(2), 16);
                    return number >= 0 ? OptionalLong.of(number) : OptionalLong.empty();
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }
}
