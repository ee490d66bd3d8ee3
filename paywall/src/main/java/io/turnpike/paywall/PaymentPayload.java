package io.turnpike.paywall;

import io.turnpike.core.TurnpikeException;
import io.turnpike.core.ErrorCode;
import io.turnpike.http.JsonObjectReader;
import java.util.Optional;

/**
 * A payment as a client sends it: x402's {@code PaymentPayload}, base64 JSON in {@code PAYMENT-SIGNATURE} (v2,
 * naming the requirements it {@code accepted}) or in {@code X-PAYMENT} (v1, naming only scheme and network).
 *
 * @param accepted v2's copy of the requirements the payer chose; empty in v1
 * @param payload the scheme's own part, read by the scheme
 */
record PaymentPayload(int version, String scheme, long chainId, Optional<PaymentRequirements> accepted,
                      JsonObjectReader payload) {

    /**
     * Decodes a payment header of at most {@code maxBytes}.
     *
     * @throws PaymentRefused {@code payment_malformed} for a header too long, not base64, or not the JSON x402 sends
     */
    static PaymentPayload decode(String header, int maxBytes) {
        if (header.length() > maxBytes) {
            throw malformed("the payment header is " + header.length() + " bytes, over the " + maxBytes
                    + " this paywall reads; an x402 payment is well under 2 KiB");
        }
        try {
            return read(X402.decode(header));
        } catch (PaymentRefused refused) {
            throw refused;
        } catch (TurnpikeException bad) { // malformed JSON, an amount out of range, a bad signature form
            throw malformed("the payment header is not an x402 payment: " + bad.getMessage());
        }
    }

    /** Reads a payment already parsed from JSON (the facilitator's requests carry it as an object). */
    static PaymentPayload read(JsonObjectReader node) {
        long version = node.integer("x402Version");
        if (version == 2) {
            PaymentRequirements accepted = PaymentRequirements.read(node.object("accepted"), 2);
            return new PaymentPayload(2, accepted.scheme(), accepted.chainId(), Optional.of(accepted),
                    node.object("payload"));
        }
        if (version == 1) {
            String network = node.string("network");
            long chainId = Networks.chainId(network).orElseThrow(() -> new PaymentRefused(ErrorCode.PAYMENT_MISMATCH,
                    "invalid_network", "network '" + network + "' is not an EVM chain this paywall knows"));
            return new PaymentPayload(1, node.string("scheme"), chainId, Optional.empty(), node.object("payload"));
        }
        throw new PaymentRefused(ErrorCode.PAYMENT_MISMATCH, "invalid_x402_version", "x402 version " + version
                + " is not one this paywall speaks: 1 or 2");
    }

    private static PaymentRefused malformed(String message) {
        return new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "invalid_payload", message);
    }
}
