package io.turnpike.chain.rpc;

import io.turnpike.core.ErrorCode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthBlockNumber;
import org.web3j.protocol.core.methods.response.EthChainId;
import org.web3j.protocol.exceptions.ClientConnectionException;
import tools.jackson.core.JacksonException;

/**
 * Several JSON-RPC endpoints of one chain behind one door. Each request goes to the first endpoint, in
 * configured order, that is not backing off; a transport failure (refused, timed out, an HTTP error, an
 * unreadable answer) puts that endpoint into back-off and the request moves on to the next. When none is
 * left the request fails at once with {@link ErrorCode#CHAIN_UNAVAILABLE}: the pool never sleeps, the
 * caller's next round tries again. An endpoint is used only after it has confirmed the configured chain
 * id; one serving another chain is refused at startup and disabled if it shows up later.
 *
 * <p>{@link #head()} also guards against an endpoint whose head lies more than {@code reorgAllowance}
 * below the highest head seen (rewound, resynced or on another network): it is refused for a back-off
 * period, so confirmations are never counted against a chain that went backwards.
 */
public final class RpcPool implements ChainView, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcPool.class);
    /** web3j's words for an HTTP error: "Invalid response received: 401; <body>". */
    private static final Pattern HTTP_STATUS = Pattern.compile("Invalid response received: (\\d{3})");

    private final RpcConfig config;
    private final List<Endpoint> endpoints;
    private final long chainId;
    private long highestBlock = -1;
    private Instant lastNewBlockAt;

    private volatile RpcMetrics metrics = RpcMetrics.NONE;

    private RpcPool(RpcConfig config, List<Endpoint> endpoints, long chainId) {
        this.config = config;
        this.endpoints = endpoints;
        this.chainId = chainId;
        this.lastNewBlockAt = config.clock().instant();
    }

    /**
     * Opens every endpoint and asks each for its chain id.
     *
     * @throws RpcException {@link ErrorCode#WRONG_CHAIN_ID} if an endpoint serves another chain,
     *     {@link ErrorCode#CHAIN_UNREACHABLE} if none answers
     */
    public static RpcPool connect(RpcConfig config) {
        List<Endpoint> endpoints = config.urls().stream().map(url -> Endpoint.open(url, config)).toList();
        try {
            Long chainId = config.chainId().isPresent() ? config.chainId().getAsLong() : null;
            String chainSource = "the configuration";
            List<String> unreachable = new ArrayList<>();
            for (Endpoint endpoint : endpoints) {
                long served;
                try {
                    served = chainIdOf(endpoint);
                } catch (IOException | ClientConnectionException | JacksonException e) {
                    endpoint.failed(config.clock().instant(), config.backOff(), describe(e));
                    unreachable.add(endpoint.label() + " (" + describe(e) + ")");
                    continue;
                }
                if (chainId == null) {
                    chainId = served;
                    chainSource = endpoint.label();
                }
                if (served != chainId) {
                    throw new RpcException(ErrorCode.WRONG_CHAIN_ID, "the RPC endpoint " + endpoint.label()
                            + " serves chain " + served + " but " + chainSource + " says chain " + chainId
                            + "; point every RPC URL at chain " + chainId + " or change the configured chain id");
                }
                endpoint.markVerified();
            }
            if (endpoints.stream().noneMatch(Endpoint::verified)) {
                throw new RpcException(ErrorCode.CHAIN_UNREACHABLE, "no RPC endpoint answered: "
                        + String.join(", ", unreachable) + "; check the RPC URLs and that the node behind them runs");
            }
            unreachable.forEach(down -> LOG.warn("RPC endpoint {} is down at startup; it is used once it answers", down));
            return new RpcPool(config, endpoints, chainId);
        } catch (RuntimeException e) {
            endpoints.forEach(Endpoint::close);
            throw e;
        }
    }

    @Override
    public long chainId() {
        return chainId;
    }

    /**
     * Sends one request to the first usable endpoint, failing over on transport errors. An answer that
     * carries a JSON-RPC error is returned as it is: the endpoint worked, the request was refused.
     *
     * @param request builds the request against the endpoint chosen
     * @throws RpcException {@link ErrorCode#CHAIN_UNAVAILABLE} when no endpoint could answer
     */
    public <T extends Response<?>> T send(Function<Web3j, Request<?, T>> request) {
        return send(request, response -> null);
    }

    /**
     * The newest block number, from the first endpoint whose head is not more than {@code reorgAllowance}
     * below the highest head seen. Feeds {@link #isStale()}.
     */
    public long head() {
        EthBlockNumber answer = send(Web3j::ethBlockNumber, response -> {
            if (response.hasError()) {
                return "eth_blockNumber failed: " + response.getError().getMessage();
            }
            return observe(response.getBlockNumber().longValueExact());
        });
        return answer.getBlockNumber().longValueExact();
    }

    @Override
    public synchronized long highestBlock() {
        return highestBlock;
    }

    @Override
    public synchronized Instant lastNewBlockAt() {
        return lastNewBlockAt;
    }

    @Override
    public synchronized boolean isStale() {
        return Duration.between(lastNewBlockAt, config.clock().instant()).compareTo(config.staleAfter()) > 0;
    }

    /** Where each request's outcome is reported from now on. */
    public void metrics(RpcMetrics recorder) {
        this.metrics = recorder;
    }

    public List<EndpointStatus> endpoints() {
        Instant now = config.clock().instant();
        return endpoints.stream().map(endpoint -> endpoint.status(now)).toList();
    }

    @Override
    public void close() {
        endpoints.forEach(Endpoint::close);
    }

    /** Null when {@code head} is acceptable (and recorded), else why the endpoint is refused. */
    private synchronized String observe(long head) {
        if (head + config.reorgAllowance() < highestBlock) {
            return "its head " + head + " is more than " + config.reorgAllowance() + " blocks below block "
                    + highestBlock + " already seen";
        }
        if (head > highestBlock) {
            highestBlock = head;
            lastNewBlockAt = config.clock().instant();
        }
        return null;
    }

    /** {@code refusal} returns null to accept an answer, or why the endpoint that gave it is refused. */
    private <T extends Response<?>> T send(Function<Web3j, Request<?, T>> request, Function<T, String> refusal) {
        List<String> problems = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            if (!endpoint.usable(config.clock().instant())) {
                problems.add(endpoint.label() + " is backing off");
                continue;
            }
            try {
                if (!verified(endpoint)) {
                    problems.add(endpoint.label() + " serves another chain");
                    continue;
                }
                long started = System.nanoTime();
                T response = request.apply(endpoint.web3j()).send();
                String refused = refusal.apply(response);
                if (refused == null) {
                    endpoint.succeeded();
                    metrics.answered(endpoint.label(), System.nanoTime() - started);
                    return response;
                }
                fail(endpoint, refused);
                problems.add(endpoint.label() + ": " + refused);
            } catch (IOException | ClientConnectionException | JacksonException e) {
                fail(endpoint, describe(e));
                problems.add(endpoint.label() + ": " + describe(e));
            }
        }
        throw new RpcException(ErrorCode.CHAIN_UNAVAILABLE, "no RPC endpoint could answer ("
                + String.join("; ", problems) + "); nothing was done, the next attempt retries");
    }

    /** An endpoint that was down at startup proves its chain id before its first use. */
    private boolean verified(Endpoint endpoint) throws IOException {
        if (endpoint.verified()) {
            return true;
        }
        long served = chainIdOf(endpoint);
        if (served != chainId) {
            String why = "serves chain " + served + " instead of chain " + chainId;
            endpoint.disable(why);
            LOG.error("RPC endpoint {} {}; it is disabled, fix its URL", endpoint.label(), why);
            return false;
        }
        endpoint.markVerified();
        return true;
    }

    private void fail(Endpoint endpoint, String why) {
        metrics.failed(endpoint.label());
        if (endpoint.failed(config.clock().instant(), config.backOff(), why)) {
            LOG.warn("RPC endpoint {} failed ({}); backing off, trying the next one", endpoint.label(), why);
        }
    }

    private static long chainIdOf(Endpoint endpoint) throws IOException {
        EthChainId answer = endpoint.web3j().ethChainId().send();
        if (answer.hasError()) {
            throw new IOException("eth_chainId failed: " + answer.getError().getMessage());
        }
        return answer.getChainId().longValueExact();
    }

    /**
     * What went wrong with an endpoint, for its status, the log and the operator — never its answer's body, which a
     * provider may fill with the URL it was sent, API key and all: an HTTP error is its status, an answer that is not
     * JSON-RPC is said to be so, and anything else is cut short.
     */
    static String describe(Exception e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ClientConnectionException) {
            Matcher status = HTTP_STATUS.matcher(message);
            return status.find() ? "HTTP " + status.group(1) : "an answer that is not JSON-RPC";
        }
        if (e instanceof JacksonException) {
            return "an answer that is not JSON-RPC";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                : ": " + (message.length() <= 120 ? message : message.substring(0, 120) + "…"));
    }
}
