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
 * One way to pay that a 402 offers, as a payer sees it: its terms, and the offer exactly as sent, which a v2 payment
 * names as {@code accepted}. The payer's side of {@link PaywallProxy}: Turnpike's own HTTP client pays with it.
 */
public record PaymentOffer(PaymentRequirements terms, JsonNode asSent) {

    /**
     * The offers of x402 v2's {@code PAYMENT-REQUIRED} header that this package can pay: {@value
     * PaymentRequirements#EXACT} and {@value PaymentRequirements#CHANNEL} on EVM chains. Offers of other schemes or
     * networks, and offers it cannot read, are left out.
     *
     * @throws TurnpikeException {@code payment_malformed} if the header is not base64 of x402's JSON
     */
    public static List<PaymentOffer> fromPaymentRequired(String header) {
        List<PaymentOffer> offers = new ArrayList<>();
        try {
            JsonNode required = JsonObjectReader.MAPPER.readTree(Base64.getDecoder().decode(header.strip()));
            for (JsonNode offer : required.path("accepts")) {
                try {
                    offers.add(new PaymentOffer(PaymentRequirements.read(JsonObjectReader.of(offer), 2), offer));
                } catch (TurnpikeException unpayable) {
                    // another scheme or network, or an offer not written as x402 says: not one to pay
                }
            }
        } catch (RuntimeException notX402) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "the 402's "
                    + X402.PAYMENT_REQUIRED + " header is not base64 of x402's JSON: " + notX402.getMessage());
        }
        return offers;
    }

    /** The {@code PAYMENT-SIGNATURE} that pays this {@value PaymentRequirements#EXACT} offer with {@code authorization}. */
    public String payment(ExactAuthorization authorization) {
        return payment(authorization.toJson());
    }

    /** The {@code PAYMENT-SIGNATURE} that pays this {@value PaymentRequirements#CHANNEL} offer with {@code proof}. */
    public String payment(Signed<BalanceProof> proof) {
        return payment(ChannelPayment.toJson(proof));
    }

    private String payment(ObjectNode payload) {
        ObjectNode payment = JsonObjectReader.MAPPER.createObjectNode().put("x402Version", 2);
        payment.set("accepted", asSent);
        payment.set("payload", payload);
        return X402.encode(payment);
    }
}
