package io.turnpike.paywall;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.util.Base64;

/**
 * x402's headers as a stranger writes them: a payer's {@code PAYMENT-SIGNATURE} / {@code X-PAYMENT} at the paywall
 * (the payload, then its scheme's part), and a provider's {@code PAYMENT-REQUIRED} at a paying client. Each either
 * reads or refuses with a coded input error ({@link PaymentRefused} or bad JSON), never another exception. The
 * fuzzed bytes are the header's JSON, base64-encoded here as a client would, so the fuzzer mutates JSON rather than
 * base64; the corpus holds that JSON. In this package because the decoders are package-private; run as a campaign
 * with {@code ./turnpike fuzz X402FuzzTest}.
 */
class X402FuzzTest {

    /** The paywall's default {@code PAYMENT-SIGNATURE} limit (docs/security.md). */
    private static final int MAX_PAYMENT_HEADER = 4 * 1024;

    @FuzzTest(maxDuration = "30s")
    void paymentHeaderReadsOrRefuses(byte[] json) {
        try {
            PaymentPayload payment = PaymentPayload.decode(Base64.getEncoder().encodeToString(json),
                    MAX_PAYMENT_HEADER);
            switch (payment.scheme()) {
                case PaymentRequirements.EXACT -> ExactAuthorization.read(payment.payload());
                case PaymentRequirements.CHANNEL -> payment.accepted()
                        .ifPresent(accepted -> ChannelPayment.read(accepted, payment.payload()));
                default -> {
                    // another scheme: the paywall refuses it when it matches the payment to its offers
                }
            }
        } catch (TurnpikeException refused) {
            assertThat(refused.code().kind()).as(refused.toString()).isNotEqualTo(ErrorCode.Kind.INTERNAL);
        }
    }

    @FuzzTest(maxDuration = "30s")
    void paymentRequiredReadsOrRefuses(byte[] json) {
        try {
            PaymentOffer.fromPaymentRequired(Base64.getEncoder().encodeToString(json))
                    .forEach(offer -> assertThat(offer.terms().scheme())
                            .isIn(PaymentRequirements.EXACT, PaymentRequirements.CHANNEL));
        } catch (TurnpikeException refused) {
            assertThat(refused.code()).isEqualTo(ErrorCode.PAYMENT_MALFORMED);
        }
    }
}
