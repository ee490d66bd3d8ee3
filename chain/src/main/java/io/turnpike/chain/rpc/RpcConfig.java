package io.turnpike.chain.rpc;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * How the node reaches its chain.
 *
 * @param urls HTTP(S) JSON-RPC endpoints, in order of preference
 * @param chainId the chain the node is configured for; empty takes it from the first endpoint that answers
 * @param requestTimeout connect, read and write timeout of one request
 * @param backOff how long a failing endpoint is skipped
 * @param staleAfter no new block for this long makes the view stale
 * @param reorgAllowance how many blocks an endpoint's head may lie below the highest head seen before the
 *     endpoint is refused: a re-org or a slightly lagging endpoint stays within it, a rewound or
 *     wrong-network endpoint does not
 * @param clock judges back-offs and staleness
 */
public record RpcConfig(List<String> urls, OptionalLong chainId, Duration requestTimeout, BackOff backOff,
                        Duration staleAfter, int reorgAllowance, Clock clock) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofSeconds(300);
    /** Post-merge L1 re-orgs are one or two blocks; eight leaves room for a lagging endpoint. */
    public static final int DEFAULT_REORG_ALLOWANCE = 8;

    public RpcConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one RPC URL is needed");
        }
        urls.forEach(RpcConfig::requireHttp);
        Objects.requireNonNull(chainId, "chainId");
        chainId.ifPresent(id -> {
            if (id <= 0) {
                throw new IllegalArgumentException("a chain id is positive, got " + id);
            }
        });
        requirePositive(requestTimeout, "requestTimeout");
        Objects.requireNonNull(backOff, "backOff");
        requirePositive(staleAfter, "staleAfter");
        if (reorgAllowance < 0) {
            throw new IllegalArgumentException("reorgAllowance is not negative, got " + reorgAllowance);
        }
        Objects.requireNonNull(clock, "clock");
    }

    /** The defaults over {@code urls}, with the chain id taken from the endpoints. */
    public static RpcConfig of(String... urls) {
        return new RpcConfig(List.of(urls), OptionalLong.empty(), DEFAULT_REQUEST_TIMEOUT, BackOff.defaults(),
                DEFAULT_STALE_AFTER, DEFAULT_REORG_ALLOWANCE, Clock.systemUTC());
    }

    public RpcConfig withChainId(long expected) {
        return new RpcConfig(urls, OptionalLong.of(expected), requestTimeout, backOff, staleAfter, reorgAllowance, clock);
    }

    public RpcConfig withRequestTimeout(Duration timeout) {
        return new RpcConfig(urls, chainId, timeout, backOff, staleAfter, reorgAllowance, clock);
    }

    public RpcConfig withBackOff(BackOff policy) {
        return new RpcConfig(urls, chainId, requestTimeout, policy, staleAfter, reorgAllowance, clock);
    }

    public RpcConfig withStaleAfter(Duration after) {
        return new RpcConfig(urls, chainId, requestTimeout, backOff, after, reorgAllowance, clock);
    }

    public RpcConfig withReorgAllowance(int blocks) {
        return new RpcConfig(urls, chainId, requestTimeout, backOff, staleAfter, blocks, clock);
    }

    public RpcConfig withClock(Clock newClock) {
        return new RpcConfig(urls, chainId, requestTimeout, backOff, staleAfter, reorgAllowance, newClock);
    }

    /** Endpoints by {@link #label}, so a config can be logged without the API keys URLs often carry. */
    @Override
    public String toString() {
        return "RpcConfig[" + urls.stream().map(RpcConfig::label).toList() + ", chainId=" + chainId
                + ", requestTimeout=" + requestTimeout + ", " + backOff + ", staleAfter=" + staleAfter
                + ", reorgAllowance=" + reorgAllowance + "]";
    }

    /** Scheme, host and port only: a provider's path or query is often an API key. */
    static String label(String url) {
        URI uri = URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }

    private static void requireHttp(String url) {
        URI uri;
        try {
            uri = URI.create(Objects.requireNonNull(url, "url"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("an RPC URL must be http(s)://host[:port][/path], got a malformed one");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("an RPC URL must be http(s)://host[:port][/path], got " + label(url));
        }
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
