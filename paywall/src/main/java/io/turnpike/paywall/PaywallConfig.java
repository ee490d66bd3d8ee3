package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.http.HttpLimits;
import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A paywall's settings apart from where it listens, each a plain value so that the node's configuration
 * ({@code turnpike.provider.services.paywall}) maps onto it field by field.
 *
 * @param chainId the chain payments are made on
 * @param payTo who is paid: the provider's address
 * @param token the EIP-3009 token prices are in
 * @param routes the paid paths; a request is matched to the route with the longest prefix of its path
 * @param channelContract the TurnpikeChannels deployment of {@value PaymentRequirements#CHANNEL} payments; empty: the
 *     paywall offers {@value PaymentRequirements#EXACT} only
 * @param maxTimeoutSeconds how long the authorizations clients make should stay valid
 */
public record PaywallConfig(long chainId, Address payTo, Token token, List<Route> routes,
                            Optional<Address> channelContract, long maxTimeoutSeconds, Limits limits) {

    /**
     * The token, as its EIP-712 domain names it: the payer signs in it, so these must be the token's own.
     *
     * @param name the token's {@code name()}, e.g. "USD Coin"
     * @param version its EIP-712 version, e.g. "2"
     */
    public record Token(Address address, String name, String version) {
        public Token {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
        }
    }

    /**
     * One paid path.
     *
     * @param pathPrefix where it starts, "/" included: "/api/" serves "/api/quotes" from {@code backend}
     *     + "/quotes"
     * @param backend where it is served from: the path after the prefix is appended to the backend's path
     * @param price per request, in the token's smallest unit
     * @param pricePerByte per byte of the backend's answer body, in the token's smallest unit; 0 for a flat price
     * @param maxResponseBytes the most the backend may answer on this path: with {@code pricePerByte}, what the 402
     *     asks for at most ({@link #maximum}); {@link #PAYWALL_LIMIT} for the paywall's own limit, and never above it
     * @param description what the 402 tells the payer it buys
     * @param mimeType what the answer is
     * @param forwardAuthorization whether the client's {@code Authorization} header goes on to the backend; off by
     *     default, so that credentials meant for the paywall's host reach no one else
     */
    public record Route(String pathPrefix, URI backend, Amount price, Amount pricePerByte, int maxResponseBytes,
                        String description, String mimeType, boolean forwardAuthorization) {

        /** A route's answers capped only by the paywall's {@link Limits#maxResponseBytes}. */
        public static final int PAYWALL_LIMIT = Integer.MAX_VALUE;

        public Route {
            Objects.requireNonNull(pathPrefix, "pathPrefix");
            if (!pathPrefix.startsWith("/")) {
                throw new IllegalArgumentException("a route's prefix starts with '/', got '" + pathPrefix + "'");
            }
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(price, "price");
            if (price.isZero()) {
                throw new IllegalArgumentException("a paid route has a price above 0; serve free paths elsewhere");
            }
            Objects.requireNonNull(pricePerByte, "pricePerByte");
            if (maxResponseBytes < 1) {
                throw new IllegalArgumentException("a route's answers may be at least 1 byte, got " + maxResponseBytes);
            }
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(mimeType, "mimeType");
        }

        /** A flat-priced route, capped by the paywall's limit. */
        public Route(String pathPrefix, URI backend, Amount price, String description, String mimeType,
                     boolean forwardAuthorization) {
            this(pathPrefix, backend, price, Amount.ZERO, PAYWALL_LIMIT, description, mimeType, forwardAuthorization);
        }

        /** A flat-priced route that keeps the client's {@code Authorization} to itself. */
        public Route(String pathPrefix, URI backend, Amount price, String description, String mimeType) {
            this(pathPrefix, backend, price, description, mimeType, false);
        }

        /** What a request costs at most, as its 402 asks: the price, and every byte it may be answered. */
        public Amount maximum() {
            return cost(maxResponseBytes);
        }

        /** What a request answered with {@code bytes} of body costs. */
        public Amount cost(long bytes) {
            return price.plus(pricePerByte.times(bytes));
        }

        /** This route with its answers capped at {@code limit} too. */
        Route cappedAt(int limit) {
            return maxResponseBytes <= limit ? this : new Route(pathPrefix, backend, price, pricePerByte, limit,
                    description, mimeType, forwardAuthorization);
        }
    }

    /**
     * What one request may make the paywall hold.
     *
     * @param http the server's own bounds: request line and headers, body, time to send them, connections
     * @param maxPaymentHeaderBytes a payment header; a longer one is a 402 {@code payment_malformed}
     * @param maxResponseBytes a backend's answer, on any route; a longer one is not passed on (413
     *     {@code response_too_large}), and costs no more than the request's price
     * @param backendTimeout how long the backend has to answer; then 504, not charged
     */
    public record Limits(HttpLimits http, int maxPaymentHeaderBytes, int maxResponseBytes, Duration backendTimeout) {

        public Limits {
            Objects.requireNonNull(http, "http");
            if (maxPaymentHeaderBytes < 1 || maxResponseBytes < 1) {
                throw new IllegalArgumentException("the payment header and response limits are at least 1 byte");
            }
            if (maxPaymentHeaderBytes >= http.maxRequestHeaderBytes()) {
                throw new IllegalArgumentException("the payment header limit (" + maxPaymentHeaderBytes
                        + ") must be below the server's header limit (" + http.maxRequestHeaderBytes() + ")");
            }
            if (!backendTimeout.isPositive()) {
                throw new IllegalArgumentException("the backend timeout must be positive, got " + backendTimeout);
            }
        }

        /**
         * 16 KiB of request line and headers of which 4 KiB of payment header, 1 MiB of body, 10 MiB of answer, 30 s
         * for the backend; the server's other defaults.
         */
        public static Limits defaults() {
            return new Limits(HttpLimits.defaults().withMaxRequestHeaderBytes(16 * 1024)
                    .withMaxBodyBytes(1024 * 1024), 4096, 10 * 1024 * 1024, Duration.ofSeconds(30));
        }
    }

    public PaywallConfig {
        if (chainId < 1) {
            throw new IllegalArgumentException("a chain id is positive, got " + chainId);
        }
        Objects.requireNonNull(payTo, "payTo");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(limits, "limits");
        // No route answers more than the paywall takes from a backend, so no 402 asks for bytes it cannot serve.
        // Longest prefix first: the first route that matches is the most specific.
        routes = routes.stream().map(r -> r.cappedAt(limits.maxResponseBytes()))
                .sorted(Comparator.comparingInt((Route r) -> r.pathPrefix().length()).reversed())
                .toList();
        if (routes.isEmpty()) {
            throw new IllegalArgumentException("a paywall needs at least one route");
        }
        Objects.requireNonNull(channelContract, "channelContract");
        if (maxTimeoutSeconds <= ExactScheme.SETTLEMENT_MARGIN_SECONDS) {
            throw new IllegalArgumentException("maxTimeoutSeconds must leave time to settle: above "
                    + ExactScheme.SETTLEMENT_MARGIN_SECONDS + ", got " + maxTimeoutSeconds);
        }
    }

    /** The route serving {@code path}, if any. */
    Optional<Route> route(String path) {
        return routes.stream().filter(r -> path.startsWith(r.pathPrefix())).findFirst();
    }

    /**
     * What a payer may pay {@code route} with, the paywall's preferred first (a channel needs no transaction); each
     * asks for the route's {@link Route#maximum}.
     */
    List<PaymentRequirements> offers(Route route) {
        PaymentRequirements exact = new PaymentRequirements(PaymentRequirements.EXACT, chainId, route.maximum(),
                token.address(), payTo, maxTimeoutSeconds,
                Map.of("name", token.name(), "version", token.version()));
        return channelContract.map(contract -> List.of(new PaymentRequirements(PaymentRequirements.CHANNEL, chainId,
                        route.maximum(), token.address(), payTo, maxTimeoutSeconds,
                        Map.of("contract", contract.toString())), exact))
                .orElse(List.of(exact));
    }
}
