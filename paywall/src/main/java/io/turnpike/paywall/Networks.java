package io.turnpike.paywall;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How x402 names an EVM chain: v2 by CAIP-2 ({@code eip155:<chain id>}), any chain; v1 by a name from a fixed table,
 * so a v1 client can pay only on a chain that has one (a local chain started with such a chain id will do).
 */
final class Networks {

    private static final Pattern CAIP2 = Pattern.compile("eip155:([1-9][0-9]{0,18})");

    /** The EVM names x402 v1 clients know (the x402 1.x packages), with their chain ids. */
    private static final Map<String, Long> V1 = Map.ofEntries(
            Map.entry("base", 8453L), Map.entry("base-sepolia", 84532L),
            Map.entry("avalanche", 43114L), Map.entry("avalanche-fuji", 43113L),
            Map.entry("polygon", 137L), Map.entry("polygon-amoy", 80002L),
            Map.entry("abstract", 2741L), Map.entry("abstract-testnet", 11124L),
            Map.entry("sei", 1329L), Map.entry("sei-testnet", 1328L),
            Map.entry("iotex", 4689L), Map.entry("peaq", 3338L), Map.entry("story", 1514L),
            Map.entry("educhain", 41923L), Map.entry("skale-base-sepolia", 324705682L));

    private Networks() {
    }

    static String caip2(long chainId) {
        return "eip155:" + chainId;
    }

    /** The v1 name of {@code chainId}, if v1 has one. */
    static Optional<String> v1Name(long chainId) {
        return V1.entrySet().stream().filter(e -> e.getValue() == chainId).map(Map.Entry::getKey).findFirst();
    }

    /** The chain a v2 (CAIP-2) or v1 network name stands for; empty for one that is not an EVM chain x402 knows. */
    static OptionalLong chainId(String network) {
        Matcher caip2 = CAIP2.matcher(network);
        if (caip2.matches()) {
            return OptionalLong.of(Long.parseLong(caip2.group(1)));
        }
        Long v1 = V1.get(network);
        return v1 == null ? OptionalLong.empty() : OptionalLong.of(v1);
    }
}
