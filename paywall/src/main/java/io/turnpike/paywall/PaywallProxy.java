package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP 402 in front of any HTTP backend (DESIGN §6 {@code paywall}), x402-compatible. A request to a paid path
 * without a payment is answered {@code 402} with what it costs: x402 v2's {@code PAYMENT-REQUIRED} header and v1's
 * JSON body. A request with one ({@code PAYMENT-SIGNATURE}, or v1's {@code X-PAYMENT}) is checked, then served:
 *
 * <ul>
 *   <li>{@value PaymentRequirements#EXACT}: the EIP-3009 authorization is verified and its nonce claimed, the backend
 *       asked, and, if it answered below 400, the authorization settled through the provider's transaction manager;
 *       {@code PAYMENT-RESPONSE} carries the transaction. A backend that fails is not paid: the claim is given back.
 *   <li>{@value PaymentRequirements#CHANNEL}: the balance proof is credited — durably, before the backend is asked —
 *       if what it adds to the channel's last one, with the payer's credit, covers the route's maximum; what the
 *       request cost (its price and its answer's bytes) is booked before the answer leaves.
 * </ul>
 *
 * A payment that is not taken is a {@code 402} with the reason and the requirements again; nothing was served,
 * claimed or sent.
 */
public final class PaywallProxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PaywallProxy.class);

    private final PaywallConfig config;
    private final ExactScheme exact;
    private final Optional<ChannelCredits> channels;
    private final Backend backend;
    private final JsonHttpServer http;

    private PaywallProxy(InetSocketAddress address, PaywallConfig config, ExactScheme exact,
                         Optional<ChannelCredits> channels) throws IOException {
        this.config = config;
        this.exact = Objects.requireNonNull(exact, "exact");
        this.channels = channels;
        if (config.channelContract().isPresent() != channels.isPresent()) {
            throw new IllegalArgumentException("the channel scheme needs both a channel contract in the config and "
                    + "the node's channels; got only one");
        }
        if (exact.chainId() != config.chainId()) {
            throw new IllegalArgumentException("the exact scheme settles on chain " + exact.chainId()
                    + ", the paywall is configured for " + config.chainId());
        }
        this.backend = new Backend(config.limits().backendTimeout());
        try {
            this.http = JsonHttpServer.start(address, new JsonHttpServer.Surface("paywall", config.limits().http(), FatalErrors::exitProcess), this::handle);
        } catch (IOException | RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    /**
     * Listens on {@code address} (port 0: one the system picks).
     *
     * @param channels the node's channels, for the channel scheme; empty when the config names no channel contract
     * @throws java.net.BindException if the port is taken or the address is not this machine's
     */
    public static PaywallProxy start(InetSocketAddress address, PaywallConfig config, ExactScheme exact,
                                     Optional<ChannelCredits> channels) throws IOException {
        return new PaywallProxy(address, config, exact, channels);
    }

    public int port() {
        return http.address().getPort();
    }

    @Override
    public void close() {
        http.close();
        backend.close();
    }

    private HttpReply handle(HttpCall call) throws HttpRefusal {
        String path = call.path();
        Optional<PaywallConfig.Route> found = config.route(path);
        if (found.isEmpty()) {
            return HttpReply.error(ErrorCode.NOT_FOUND, "no paid path here starts like " + path);
        }
        PaywallConfig.Route route = found.get();
        PaymentRequirements.Resource resource = new PaymentRequirements.Resource(
                "http://" + Objects.requireNonNullElse(call.header("Host"), "localhost") + path, route.description(),
                route.mimeType());
        String v2 = call.header(X402.PAYMENT_SIGNATURE);
        String v1 = call.header(X402.X_PAYMENT);
        if (v2 == null && v1 == null) {
            return paymentRequired(route, resource, new PaymentRefused(ErrorCode.PAYMENT_REQUIRED, "pay for "
                    + path + " with one of the ways in " + X402.PAYMENT_REQUIRED + " (x402 v2) or in 'accepts' (v1)"));
        }
        byte[] body = call.body();
        boolean isV1 = v2 == null;
        try {
            PaymentPayload payment = PaymentPayload.decode(isV1 ? v1 : v2, config.limits().maxPaymentHeaderBytes());
            PaymentRequirements offer = match(route, payment);
            return switch (offer.scheme()) {
                case PaymentRequirements.EXACT -> payExact(call, route, body, offer, payment, isV1);
                default -> payChannel(call, route, body, offer, payment);
            };
        } catch (PaymentRefused refused) {
            LOG.debug("payment for {} refused: {}", path, refused.getMessage());
            return paymentRequired(route, resource, refused);
        } catch (TurnpikeException failed) {
            return HttpReply.error(failed.code(), failed.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("serving a paid request to {} failed", path, e);
            return HttpReply.error(ErrorCode.INTERNAL, "the paywall failed on this request; nothing was "
                    + "settled, try again");
        }
    }

    private HttpReply payExact(HttpCall call, PaywallConfig.Route route, byte[] body, PaymentRequirements offer,
                               PaymentPayload payment, boolean isV1) {
        ExactScheme.Verified verified = exact.verify(offer, ExactAuthorization.read(payment.payload()));
        exact.claim(verified);
        HttpReply answer;
        try {
            answer = forward(call, route, body, verified.authorization().from());
        } catch (RuntimeException failed) {
            exact.release(verified);
            throw failed;
        }
        if (answer.status() >= 400) {
            exact.release(verified);
            return answer;
        }
        Bytes32 transaction;
        try {
            transaction = exact.settle(verified);
        } catch (PaymentRefused refused) {
            exact.release(verified);
            throw refused;
        }
        ObjectNode settlement = JsonObjectReader.MAPPER.createObjectNode()
                .put("success", true)
                .put("transaction", transaction.toHex())
                .put("network", isV1 ? Networks.v1Name(offer.chainId()).orElseThrow() : offer.network())
                .put("payer", verified.authorization().from().toString());
        return answer.withHeader(isV1 ? X402.X_PAYMENT_RESPONSE : X402.PAYMENT_RESPONSE, X402.encode(settlement));
    }

    /**
     * Takes the proof if it covers the route's maximum, asks the backend, then books what the request really cost —
     * the price, and each byte of the answer's body at the route's price per byte — and writes it down with the
     * proof, in one commit, before a byte of the answer leaves; what the proof paid beyond it stays the payer's credit. A backend that fails costs the price only.
     */
    private HttpReply payChannel(HttpCall call, PaywallConfig.Route route, byte[] body, PaymentRequirements offer,
                                 PaymentPayload payment) {
        ChannelPayment paid = ChannelPayment.read(offer, payment.payload());
        ChannelCredits credits = channels.orElseThrow();
        ChannelCredits.Credit credit = paid.credit(credits, offer);
        HttpReply answer;
        try {
            answer = forward(call, route, body, credit.payer());
        } catch (RuntimeException failed) {
            try {
                credits.book(credit, route.price());
            } catch (RuntimeException unbooked) {
                failed.addSuppressed(unbooked);
            }
            throw failed;
        }
        Amount used = route.cost(answer.body().length);
        Amount left = credits.book(credit, used);
        ObjectNode settlement = JsonObjectReader.MAPPER.createObjectNode()
                .put("success", true)
                .put("transaction", "")
                .put("network", offer.network())
                .put("payer", credit.payer().toString());
        settlement.putObject("extra")
                .put("channelId", Long.toString(paid.channel().channelId()))
                .put("nonce", Long.toString(paid.proof().message().nonce()))
                .put("credited", credit.credited().toString())
                .put("used", used.toString())
                .put("credit", left.toString());
        return answer.withHeader(X402.PAYMENT_RESPONSE, X402.encode(settlement));
    }

    /** The offer the payment is for: v2 names it whole, v1 by scheme and network. */
    private PaymentRequirements match(PaywallConfig.Route route, PaymentPayload payment) {
        List<PaymentRequirements> offers = config.offers(route);
        for (PaymentRequirements offer : offers) {
            boolean same = payment.accepted().map(offer::sameTerms)
                    .orElse(offer.scheme().equals(payment.scheme()) && offer.chainId() == payment.chainId());
            if (same) {
                return offer;
            }
        }
        Optional<PaymentRequirements> sameScheme = offers.stream()
                .filter(offer -> offer.scheme().equals(payment.scheme())).findFirst();
        if (sameScheme.isEmpty()) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "unsupported_scheme", "scheme '" + payment.scheme()
                    + "' is not offered here; pay with one in the requirements");
        }
        if (sameScheme.get().chainId() != payment.chainId()) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_network", "the payment is on chain "
                    + payment.chainId() + "; this paywall is paid on " + sameScheme.get().network());
        }
        PaymentRequirements ours = sameScheme.get();
        PaymentRequirements theirs = payment.accepted().orElseThrow();
        throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_payment_requirements", "the payment accepted "
                + theirs.amount() + " of " + theirs.asset() + " to " + theirs.payTo() + "; this path costs "
                + ours.amount() + " of " + ours.asset() + " to " + ours.payTo());
    }

    private HttpReply forward(HttpCall call, PaywallConfig.Route route, byte[] body, Address payer) {
        String rest = call.path().substring(route.pathPrefix().length());
        String base = route.backend().toString();
        URI uri = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + (rest.startsWith("/") || rest.isEmpty() ? rest : "/" + rest)
                + call.query().map(query -> "?" + query).orElse(""));
        return backend.send(uri, call.method(), Backend.endToEnd(call, route.forwardAuthorization()), body,
                call.header("Content-Type"), payer, route.maxResponseBytes());
    }

    /** The 402: v2's requirements in the header, v1's in the body, both with the reason. */
    private HttpReply paymentRequired(PaywallConfig.Route route, PaymentRequirements.Resource resource,
                                      PaymentRefused why) {
        List<PaymentRequirements> offers = config.offers(route);
        ObjectNode v2 = JsonObjectReader.MAPPER.createObjectNode().put("x402Version", 2).put("error", why.reason());
        v2.putObject("resource").put("url", resource.url()).put("description", resource.description())
                .put("mimeType", resource.mimeType());
        ArrayNode accepts = v2.putArray("accepts");
        offers.forEach(offer -> accepts.add(offer.toV2()));
        ObjectNode v1 = JsonObjectReader.MAPPER.createObjectNode().put("x402Version", 1).put("error", why.reason())
                .put("code", why.code().code()).put("message", why.getMessage());
        ArrayNode v1Accepts = v1.putArray("accepts");
        offers.forEach(offer -> offer.toV1(resource).ifPresent(v1Accepts::add));
        return HttpReply.json(402, v1).withHeader(X402.PAYMENT_REQUIRED, X402.encode(v2));
    }
}
