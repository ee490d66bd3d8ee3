package io.turnpike.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The methods a front serves and what each costs, and what each kind of subscription notification costs
 * ({@link #NOTIFICATION}). A method not in the table is refused: nothing administrative ({@code admin_},
 * {@code debug_}, {@code personal_}, {@code miner_}) is served unless the operator adds it.
 */
public record CostTable(Map<String, MethodCost> methods) {

    /** The methods whose calls span blocks, so whose {@link MethodCost#perItem()} counts. */
    public static final Set<String> SPANNING_BLOCKS = Set.of(Pricing.GET_LOGS, Pricing.FEE_HISTORY);

    /**
     * A subscription's notifications are priced as {@code eth_subscription.KIND} ({@code eth_subscription.newHeads}):
     * each notification sent costs the entry's base, plus its per-item for each log it carries. A kind not in the table
     * cannot be subscribed to.
     */
    public static final String NOTIFICATION = "eth_subscription.";

    private static final Pattern NOTIFICATION_NAME = Pattern.compile(Pattern.quote(NOTIFICATION) + "[A-Za-z]+");
    private static final Pattern METHOD = Pattern.compile("[a-z][a-z0-9]*_[A-Za-z0-9]+");

    /** On the scale of public compute-unit tables: reading a number is cheap, executing and searching are not. */
    private static final CostTable DEFAULTS = new CostTable(Map.ofEntries(
            Map.entry("eth_blockNumber", MethodCost.of(10)),
            Map.entry("eth_chainId", MethodCost.of(5)),
            Map.entry("net_version", MethodCost.of(5)),
            Map.entry("eth_getBalance", MethodCost.of(20)),
            Map.entry("eth_getTransactionCount", MethodCost.of(20)),
            Map.entry("eth_getCode", MethodCost.of(20)),
            Map.entry("eth_call", MethodCost.of(26)),
            Map.entry("eth_estimateGas", MethodCost.of(60)),
            Map.entry("eth_gasPrice", MethodCost.of(10)),
            Map.entry("eth_maxPriorityFeePerGas", MethodCost.of(10)),
            Map.entry("eth_feeHistory", MethodCost.of(20)),
            Map.entry("eth_getBlockByNumber", MethodCost.of(16)),
            Map.entry("eth_getTransactionReceipt", MethodCost.of(15)),
            Map.entry("eth_getTransactionByHash", MethodCost.of(15)),
            Map.entry(Pricing.GET_LOGS, new MethodCost(60, 1)),
            Map.entry("eth_sendRawTransaction", MethodCost.of(40)),
            Map.entry(NOTIFICATION + Pricing.NEW_HEADS_KIND, MethodCost.of(10)),
            Map.entry(NOTIFICATION + Pricing.LOGS_KIND, new MethodCost(5, 1))));

    /** The most entries a table has, as a provider's offer can carry them to its clients' entries. */
    public static final int MAX_ENTRIES = 64;
    /** The longest method or notification name, as an offer carries it. */
    public static final int MAX_NAME_LENGTH = 64;

    public CostTable {
        methods = Map.copyOf(methods);
        if (methods.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("a cost table has at most " + MAX_ENTRIES + " entries, defaults "
                    + "included, so that the offer carries it; this one has " + methods.size());
        }
        methods.forEach((method, cost) -> {
            if (method.length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("'" + method.substring(0, 16) + "…' is longer than "
                        + MAX_NAME_LENGTH + " characters");
            }
            if (!METHOD.matcher(method).matches() && !NOTIFICATION_NAME.matcher(method).matches()) {
                throw new IllegalArgumentException("'" + method + "' is not a JSON-RPC method name such as eth_call, "
                        + "nor a subscription's notifications such as " + NOTIFICATION + "newHeads");
            }
            if (cost.perItem() > 0 && !SPANNING_BLOCKS.contains(method)
                    && !method.equals(NOTIFICATION + Pricing.LOGS_KIND)) {
                throw new IllegalArgumentException(method + " spans no blocks, so its cost per item must be 0; only "
                        + SPANNING_BLOCKS + " have one, and " + NOTIFICATION + Pricing.LOGS_KIND + " per log");
            }
        });
    }

    public static CostTable defaults() {
        return DEFAULTS;
    }

    /** This table with {@code method} added, or its cost replaced. */
    public CostTable with(String method, MethodCost cost) {
        Map<String, MethodCost> next = new HashMap<>(methods);
        next.put(method, cost);
        return new CostTable(next);
    }

    /** What a call of {@code method} costs; empty if it is not served (a notification's entry is not a method). */
    public Optional<MethodCost> cost(String method) {
        return method.startsWith(NOTIFICATION) ? Optional.empty() : Optional.ofNullable(methods.get(method));
    }

    /** What one notification of a subscription of {@code kind} ({@code newHeads}) costs; empty if not served. */
    public Optional<MethodCost> notification(String kind) {
        return Optional.ofNullable(methods.get(NOTIFICATION + kind));
    }
}
