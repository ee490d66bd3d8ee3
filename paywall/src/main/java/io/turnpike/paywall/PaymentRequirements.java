package io.turnpike.paywall;

import io.turnpike.core.TurnpikeException;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.http.JsonObjectReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * One way to pay that a paywall offers, x402's {@code PaymentRequirements}: v2 writes it with {@code amount} and a
 * CAIP-2 network, v1 with {@code maxAmountRequired}, a network name and the resource inline.
 *
 * @param amount what a request costs at most, in the asset's smallest unit: the price, and on a per-byte path the
 *     most its answer's bytes may cost
 * @param maxTimeoutSeconds how long an authorization made for it should stay valid
 * @param extra per scheme: for {@value #EXACT} the token's EIP-712 {@code name} and {@code version}, which the payer
 *     signs in; for {@value #CHANNEL} the channel {@code contract}
 */
public record PaymentRequirements(String scheme, long chainId, Amount amount, Address asset, Address payTo,
                                  long maxTimeoutSeconds, Map<String, String> extra) {

    /** x402's scheme: one EIP-3009 transfer per request. */
    public static final String EXACT = "exact";
    /** Turnpike's scheme: the newest cumulative balance proof of a channel to the payee, no transaction. */
    public static final String CHANNEL = "turnpike-channel";

    public PaymentRequirements {
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(payTo, "payTo");
        extra = Map.copyOf(extra);
    }

    /** What a resource is, as the 402 describes it. */
    public record Resource(String url, String description, String mimeType) {
    }

    public String network() {
        return Networks.caip2(chainId);
    }

    /** The same terms: what a payer says it accepted is this offer (the window and the extra are the payer's). */
    boolean sameTerms(PaymentRequirements other) {
        return scheme.equals(other.scheme) && chainId == other.chainId && amount.equals(other.amount)
                && asset.equals(other.asset) && payTo.equals(other.payTo);
    }

    ObjectNode toV2() {
        ObjectNode node = JsonObjectReader.MAPPER.createObjectNode()
                .put("scheme", scheme)
                .put("network", network())
                .put("amount", amount.value().toString())
                .put("asset", asset.toString())
                .put("payTo", payTo.toString())
                .put("maxTimeoutSeconds", maxTimeoutSeconds);
        ObjectNode extras = node.putObject("extra");
        extra.forEach(extras::put);
        return node;
    }

    /** The v1 form; empty for a chain v1 has no name for, or a scheme v1 clients do not speak. */
    Optional<ObjectNode> toV1(Resource resource) {
        Optional<String> name = Networks.v1Name(chainId);
        if (name.isEmpty() || !scheme.equals(EXACT)) {
            return Optional.empty();
        }
        ObjectNode node = JsonObjectReader.MAPPER.createObjectNode()
                .put("scheme", scheme)
                .put("network", name.get())
                .put("maxAmountRequired", amount.value().toString())
                .put("resource", resource.url())
                .put("description", resource.description())
                .put("mimeType", resource.mimeType())
                .put("payTo", payTo.toString())
                .put("maxTimeoutSeconds", maxTimeoutSeconds)
                .put("asset", asset.toString());
        ObjectNode extras = node.putObject("extra");
        extra.forEach(extras::put);
        return Optional.of(node);
    }

    /**
     * Reads requirements as a payer or a resource server sent them: fields this paywall does not use (a v1
     * {@code resource}, a v2 {@code extra.assetTransferMethod}) are left alone, since x402 grows by adding fields.
     *
     * @throws PaymentRefused {@code invalid_payment_requirements} for a missing or mistyped field, {@code
     *     invalid_network} for a network that is not an EVM chain
     */
    static PaymentRequirements read(JsonObjectReader node, int x402Version) {
        try {
            String scheme = node.string("scheme");
            String network = node.string("network");
            long chainId = Networks.chainId(network).orElseThrow(() -> new PaymentRefused(ErrorCode.PAYMENT_MISMATCH,
                    "invalid_network", "network '" + network + "' is not an EVM chain this paywall knows; pay on "
                    + "one it offers"));
            Amount amount = node.decimalAmount(x402Version == 1 ? "maxAmountRequired" : "amount");
            Map<String, String> extra = new LinkedHashMap<>();
            JsonObjectReader extras = node.object("extra");
            switch (scheme) {
                case EXACT -> {
                    extra.put("name", extras.string("name"));
                    extra.put("version", extras.string("version"));
                }
                case CHANNEL -> extra.put("contract", extras.address("contract").toString());
                default -> throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "unsupported_scheme", "scheme '"
                        + scheme + "' is not one this paywall takes: '" + EXACT + "' or '" + CHANNEL + "'");
            }
            return new PaymentRequirements(scheme, chainId, amount, node.address("asset"), node.address("payTo"),
                    node.integer("maxTimeoutSeconds"), extra);
        } catch (PaymentRefused refused) {
            throw refused;
        } catch (TurnpikeException bad) { // malformed JSON, an amount out of range, a bad signature form
            throw new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "invalid_payment_requirements",
                    "the payment requirements are not x402's: " + bad.getMessage());
        }
    }
}
