package io.turnpike.chain.rpc;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/** One JSON-RPC endpoint and its health. Thread-safe. */
final class Endpoint {

    /**
     * web3j wants an executor for filter polling, which Turnpike never uses (logs are read with
     * eth_getLogs); one idle shared executor avoids a thread pool and a shutdown hook per connection.
     */
    private static final ScheduledExecutorService NO_POLLING = Executors.newScheduledThreadPool(0);
    private static final long POLLING_INTERVAL_MS = 1_000;

    private final String label;
    private final OkHttpClient http;
    private final Web3j web3j;
    private int consecutiveFailures;
    private Instant retryAt = Instant.MIN;
    private String problem;
    private boolean verified;
    private boolean disabled;

    private Endpoint(String label, OkHttpClient http, Web3j web3j) {
        this.label = label;
        this.http = http;
        this.web3j = web3j;
    }

    static Endpoint open(String url, RpcConfig config) {
        // A client of our own: web3j's default one logs request bodies (signed transactions) at debug level.
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(config.requestTimeout())
                .readTimeout(config.requestTimeout())
                .writeTimeout(config.requestTimeout())
                .build();
        Web3j web3j = Web3j.build(new HttpService(url, http), POLLING_INTERVAL_MS, NO_POLLING);
        return new Endpoint(RpcConfig.label(url), http, web3j);
    }

    String label() {
        return label;
    }

    Web3j web3j() {
        return web3j;
    }

    synchronized boolean usable(Instant now) {
        return !disabled && !now.isBefore(retryAt);
    }

    synchronized boolean verified() {
        return verified;
    }

    synchronized void markVerified() {
        verified = true;
    }

    synchronized void succeeded() {
        consecutiveFailures = 0;
        retryAt = Instant.MIN;
        problem = null;
    }

    /** Records a failure and starts a back-off; true when it is the first of a series (worth a warning). */
    synchronized boolean failed(Instant now, BackOff backOff, String why) {
        consecutiveFailures++;
        retryAt = now.plus(backOff.delayAfter(consecutiveFailures));
        problem = why;
        return consecutiveFailures == 1;
    }

    /** Takes the endpoint out of service for good: it is misconfigured, not down. */
    synchronized void disable(String why) {
        disabled = true;
        problem = why;
    }

    synchronized EndpointStatus status(Instant now) {
        return new EndpointStatus(label, usable(now), consecutiveFailures,
                disabled || retryAt.equals(Instant.MIN) ? Optional.empty() : Optional.of(retryAt),
                Optional.ofNullable(problem));
    }

    void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
