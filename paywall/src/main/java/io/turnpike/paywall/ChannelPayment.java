package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import io.turnpike.http.JsonObjectReader;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payload of the {@value PaymentRequirements#CHANNEL} scheme: the payer's newest balance proof of a channel to the
 * payee, {@code {channelId, nonce, transferred, signature}} with the integers as decimal strings. The chain and the
 * channel contract are the requirements' network and {@code extra.contract}.
 */
record ChannelPayment(ChannelRef channel, Signed<BalanceProof> proof) {

    /** The payload as a client writes it. */
    static ObjectNode toJson(Signed<BalanceProof> proof) {
        BalanceProof p = proof.message();
        return JsonObjectReader.MAPPER.createObjectNode()
                .put("channelId", Long.toString(p.channelId()))
                .put("nonce", Long.toString(p.nonce()))
                .put("transferred", p.transferred().toString())
                .put("signature", proof.signature().toHex());
    }

    /** @throws PaymentRefused {@code payment_malformed} for a payload that is not a balance proof */
    static ChannelPayment read(PaymentRequirements required, JsonObjectReader payload) {
        try {
            long channelId = payload.decimalLong("channelId");
            BalanceProof proof = new BalanceProof(channelId, payload.decimalLong("nonce"),
                    payload.decimalAmount("transferred"));
            Signature signature = Signature.fromHex(payload.string("signature"));
            ChannelRef ref = new ChannelRef(required.chainId(),
                    Address.of(required.extra().get("contract")), channelId);
            return new ChannelPayment(ref, new Signed<>(proof, signature));
        } catch (JsonObjectReader.BadJson | IllegalArgumentException bad) {
            throw new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "invalid_payload",
                    "the channel payload is not a balance proof: " + bad.getMessage());
        } catch (TurnpikeException unusable) {
            throw unusable.code() == ErrorCode.INVALID_SIGNATURE
                    ? new PaymentRefused(ErrorCode.PAYMENT_SIGNATURE_INVALID, "the proof's signature cannot be used: "
                            + unusable.getMessage())
                    : new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "invalid_payload",
                            "the channel payload is not a balance proof: " + unusable.getMessage());
        }
    }

    /** What the credit of this proof adds, refused as a payment when it does not pay. */
    ChannelCredits.Credit credit(ChannelCredits credits, PaymentRequirements required) {
        try {
            return credits.credit(channel, proof, required.asset(), required.amount());
        } catch (PaymentRefused refused) {
            throw refused;
        } catch (TurnpikeException refused) {
            // The channel's own codes (stale_proof, wrong_signer …) say what is wrong; as a payment it is a 402.
            throw new PaymentRefused(refused.code(), refused.code().code(), refused.getMessage());
        }
    }
}
