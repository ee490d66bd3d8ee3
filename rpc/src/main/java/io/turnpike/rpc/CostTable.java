package io.turnpike.rpc;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The methods a front serves and what each costs. A method not in the table is refused: nothing administrative
 * ({@code admin_}, {@code debug_}, {@code personal_}, {@code miner_}) is served unless the operator adds it.
 */
public record CostTable(Map<String, MethodCost> methods) {

    /** The methods whose calls span blocks, so whose {@link MethodCost#perItem()} counts. */
    public static final Set<String> SPANNING_BLOCKS = Set.of(Pricing.GET_LOGS, Pricing.FEE_HISTORY);

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
            Map.entry("eth_sendRawTransaction", MethodCost.of(40))));

    public CostTable {
        methods = Map.copyOf(methods);
        methods.forEach((method, cost) -> {
            if (!METHOD.matcher(method).matches()) {
                throw new IllegalArgumentException("'" + method + "' is not a JSON-RPC method name such as eth_call");
            }
            if (cost.perItem() > 0 && !SPANNING_BLOCKS.contains(method)) {
                throw new IllegalArgumentException(method + " spans no blocks, so its cost per item must be 0; only "
                        + SPANNING_BLOCKS + " have one");
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

    public Optional<MethodCost> cost(String method) {
        return Optional.ofNullable(methods.get(method));
    }
}
