package io.turnpike.paywall;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpCall;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpRefusal;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An x402 facilitator for {@value PaymentRequirements#EXACT} on the EVM chains this node settles on: other x402
 * resource servers send it the payments they receive ({@code POST /verify}, {@code POST /settle}) and ask what it
 * takes ({@code GET /supported}). It checks a payment exactly as the paywall does and settles through the same
 * transaction manager; an authorization it settled is never taken again, here or by the paywall.
 *
 * <p>A verification or settlement that fails is still a {@code 200} whose {@code isValid} or {@code success} is false
 * with x402's reason; a request that is not x402's JSON is a {@code 400} of the same shape.
 */
public final class Facilitator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Facilitator.class);

    private final Map<Long, ExactScheme> schemes;
    private final JsonHttpServer http;

    private Facilitator(InetSocketAddress address, List<ExactScheme> schemes, HttpLimits limits) throws IOException {
        this.schemes = schemes.stream().collect(Collectors.toUnmodifiableMap(ExactScheme::chainId,
                Function.identity()));
        this.http = JsonHttpServer.start(address, new JsonHttpServer.Surface("x402 facilitator", limits,
                FatalErrors::exitProcess), this::handle);
    }

    /** Listens on {@code address} (port 0: one the system picks), settling on each scheme's chain. */
    public static Facilitator start(InetSocketAddress address, List<ExactScheme> schemes, HttpLimits limits)
            throws IOException {
        if (schemes.isEmpty()) {
            throw new IllegalArgumentException("a facilitator settles on at least one chain");
        }
        return new Facilitator(address, schemes, limits);
    }

    public int port() {
        return http.address().getPort();
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpReply handle(HttpCall call) throws HttpRefusal {
        String route = call.method() + " " + call.path();
        return switch (route) {
            case "GET /supported" -> HttpReply.json(200, supported());
            case "POST /verify" -> verify(call.body());
            case "POST /settle" -> settle(call.body());
            default -> HttpReply.error(ErrorCode.NOT_FOUND, "this facilitator serves GET /supported, "
                    + "POST /verify and POST /settle, not " + route);
        };
    }

    private ObjectNode supported() {
        ObjectNode answer = JsonObjectReader.MAPPER.createObjectNode();
        ArrayNode kinds = answer.putArray("kinds");
        ArrayNode signers = JsonObjectReader.MAPPER.createArrayNode();
        schemes.values().forEach(scheme -> {
            kinds.addObject().put("x402Version", 2).put("scheme", PaymentRequirements.EXACT)
                    .put("network", Networks.caip2(scheme.chainId()));
            Networks.v1Name(scheme.chainId()).ifPresent(name -> kinds.addObject().put("x402Version", 1)
                    .put("scheme", PaymentRequirements.EXACT).put("network", name));
            signers.add(scheme.settlerAddress().toString());
        });
        answer.putArray("extensions");
        answer.putObject("signers").set("eip155:*", signers);
        return answer;
    }

    private HttpReply verify(byte[] body) {
        Request request;
        try {
            request = read(body);
        } catch (PaymentRefused refused) {
            return HttpReply.json(400, invalid(refused, ""));
        }
        try {
            ExactScheme.Verified verified = request.scheme().verify(request.requirements(), request.authorization());
            return HttpReply.json(200, JsonObjectReader.MAPPER.createObjectNode().put("isValid", true)
                    .put("payer", verified.authorization().from().toString()));
        } catch (PaymentRefused refused) {
            return HttpReply.json(200, invalid(refused, request.authorization().from().toString()));
        } catch (TurnpikeException unavailable) {
            return HttpReply.error(unavailable.code(), unavailable.getMessage());
        }
    }

    private HttpReply settle(byte[] body) {
        Request request;
        try {
            request = read(body);
        } catch (PaymentRefused refused) {
            return HttpReply.json(400, failed(refused, "", ""));
        }
        String payer = request.authorization().from().toString();
        String network = request.network();
        try {
            ExactScheme scheme = request.scheme();
            ExactScheme.Verified verified = scheme.verify(request.requirements(), request.authorization());
            scheme.claim(verified);
            Bytes32 transaction;
            try {
                transaction = scheme.settle(verified);
            } catch (RuntimeException notSent) {
                scheme.release(verified);
                throw notSent;
            }
            LOG.info("settled {} of {} for {} in {}", verified.authorization().value(), payer,
                    verified.authorization().to(), transaction);
            return HttpReply.json(200, JsonObjectReader.MAPPER.createObjectNode().put("success", true)
                    .put("payer", payer).put("transaction", transaction.toHex()).put("network", network));
        } catch (PaymentRefused refused) {
            return HttpReply.json(200, failed(refused, payer, network));
        } catch (TurnpikeException unavailable) {
            return HttpReply.error(unavailable.code(), unavailable.getMessage());
        }
    }

    private static ObjectNode invalid(PaymentRefused refused, String payer) {
        return JsonObjectReader.MAPPER.createObjectNode().put("isValid", false).put("invalidReason", refused.reason())
                .put("invalidMessage", refused.getMessage()).put("payer", payer);
    }

    private static ObjectNode failed(PaymentRefused refused, String payer, String network) {
        return JsonObjectReader.MAPPER.createObjectNode().put("success", false).put("errorReason", refused.reason())
                .put("errorMessage", refused.getMessage()).put("payer", payer).put("transaction", "")
                .put("network", network);
    }

    /** A {@code /verify} or {@code /settle} request: {@code {x402Version, paymentPayload, paymentRequirements}}. */
    private record Request(ExactScheme scheme, PaymentRequirements requirements, ExactAuthorization authorization,
                           String network) {
    }

    /** @throws PaymentRefused for a request that is not x402's, or a payment this facilitator does not take */
    private Request read(byte[] body) {
        try {
            JsonObjectReader root = JsonObjectReader.parse(body);
            long version = root.integer("x402Version");
            if (version != 1 && version != 2) {
                throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_x402_version", "x402 version "
                        + version + " is not one this facilitator speaks: 1 or 2");
            }
            PaymentPayload payment = PaymentPayload.read(root.object("paymentPayload"));
            PaymentRequirements requirements = PaymentRequirements.read(root.object("paymentRequirements"),
                    (int) version);
            if (!requirements.scheme().equals(PaymentRequirements.EXACT)) {
                throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "unsupported_scheme", "this facilitator settles "
                        + "'" + PaymentRequirements.EXACT + "' only, not '" + requirements.scheme() + "'");
            }
            ExactScheme scheme = schemes.get(requirements.chainId());
            if (scheme == null) {
                throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_network", "this facilitator does not "
                        + "settle on " + requirements.network() + "; GET /supported lists where it does");
            }
            boolean paysThese = payment.scheme().equals(requirements.scheme())
                    && payment.chainId() == requirements.chainId()
                    && payment.accepted().map(requirements::sameTerms).orElse(true);
            if (!paysThese) {
                throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_payment_requirements", "the payment "
                        + "was made for other requirements than the ones sent with it");
            }
            String network = version == 1 ? Networks.v1Name(requirements.chainId()).orElseThrow()
                    : requirements.network();
            return new Request(scheme, requirements, ExactAuthorization.read(payment.payload()), network);
        } catch (PaymentRefused refused) {
            throw refused;
        } catch (TurnpikeException bad) { // malformed JSON, an amount out of range, a bad signature form
            throw new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "invalid_payload", "the request is not x402's "
                    + "{x402Version, paymentPayload, paymentRequirements}: " + bad.getMessage());
        }
    }
}
