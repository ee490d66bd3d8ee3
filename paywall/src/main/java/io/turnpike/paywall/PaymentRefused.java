package io.turnpike.paywall;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;

/**
 * A payment the paywall or the facilitator does not take. {@link #reason()} is what x402 clients read
 * ({@code invalidReason}, {@code errorReason}, a 402's {@code error}): x402's own reason where it names the case,
 * else the Turnpike code. Nothing was served, claimed or sent when it is thrown.
 */
final class PaymentRefused extends TurnpikeException {

    private final String reason;

    PaymentRefused(ErrorCode code, String reason, String message) {
        super(code, message);
        this.reason = reason;
    }

    /** A refusal x402 has no reason of its own for. */
    PaymentRefused(ErrorCode code, String message) {
        this(code, code.code(), message);
    }

    String reason() {
        return reason;
    }
}
