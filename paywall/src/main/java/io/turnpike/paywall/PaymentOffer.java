package io.turnpike.paywall;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.http.JsonObjectReader;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One way to pay that a 402 offers, as a payer sees it: the x402 version it was offered in, its terms, and the offer
 * exactly as sent, which a v2 payment names as {@code accepted}. The payer's side of {@link PaywallProxy}: Turnpike's
 * own HTTP client pays with it.
 */
public record PaymentOffer(int x402Version, PaymentRequirements terms, JsonNode asSent) {

    /**
     * The offers of x402 v2's {@code PAYMENT-REQUIRED} header that this package can pay: {@value
     * PaymentRequirements#EXACT} and {@value PaymentRequirements#CHANNEL} on EVM chains. Offers of other schemes or
     * networks, and offers it cannot read, are left out.
     *
     * @throws TurnpikeException {@code payment_malformed} if the header is not base64 of x402's JSON
     */
    public static List<PaymentOffer> fromPaymentRequired(String header) {
        try {
            return offers(JsonObjectReader.MAPPER.readTree(Base64.getDecoder().decode(header.strip())), 2);
        } catch (RuntimeException notX402) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "the 402's "
                    + X402.PAYMENT_REQUIRED + " header is not base64 of x402's JSON: " + notX402.getMessage());
        }
    }

    /**
     * The offers of an x402 v1 402, whose JSON body lists them in {@code accepts} (with {@code maxAmountRequired} and
     * a network name); what this package cannot pay is left out, as for v2. Empty for a body that is not v1's.
     */
    public static List<PaymentOffer> fromV1Body(byte[] body) {
        try {
            JsonNode required = JsonObjectReader.MAPPER.readTree(body);
            return required.path("x402Version").asInt() == 1 ? offers(required, 1) : List.of();
        } catch (RuntimeException notJson) {
            return List.of(); // a 402 of some other kind: nothing to pay
        }
    }

    private static List<PaymentOffer> offers(JsonNode required, int x402Version) {
        List<PaymentOffer> offers = new ArrayList<>();
        for (JsonNode offer : required.path("accepts")) {
            try {
                offers.add(new PaymentOffer(x402Version, PaymentRequirements.read(JsonObjectReader.of(offer),
                        x402Version), offer));
            } catch (TurnpikeException unpayable) {
                // another scheme or network, or an offer not written as x402 says: not one to pay
            }
        }
        return offers;
    }

    /** The header the payment goes in: {@code PAYMENT-SIGNATURE} for v2, {@code X-PAYMENT} for v1. */
    public String paymentHeader() {
        return x402Version == 1 ? X402.X_PAYMENT : X402.PAYMENT_SIGNATURE;
    }

    /** The header the settlement comes back in: {@code PAYMENT-RESPONSE}, or v1's {@code X-PAYMENT-RESPONSE}. */
    public String responseHeader() {
        return x402Version == 1 ? X402.X_PAYMENT_RESPONSE : X402.PAYMENT_RESPONSE;
    }

    /** The {@link #paymentHeader} value that pays this {@value PaymentRequirements#EXACT} offer with {@code authorization}. */
    public String payment(ExactAuthorization authorization) {
        return payment(authorization.toJson());
    }

    /** The {@code PAYMENT-SIGNATURE} that pays this {@value PaymentRequirements#CHANNEL} offer with {@code proof}. */
    public String payment(Signed<BalanceProof> proof) {
        return payment(ChannelPayment.toJson(proof));
    }

    /** v2 names the offer it accepted whole; v1 only its scheme and network, as the 402 wrote them. */
    private String payment(ObjectNode payload) {
        ObjectNode payment = JsonObjectReader.MAPPER.createObjectNode().put("x402Version", x402Version);
        if (x402Version == 1) {
            payment.put("scheme", terms.scheme()).put("network", asSent.path("network").asString());
        } else {
            payment.set("accepted", asSent);
        }
        payment.set("payload", payload);
        return X402.encode(payment);
    }
}
