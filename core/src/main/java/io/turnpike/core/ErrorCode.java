package io.turnpike.core;

/**
 * Stable error codes: they appear on the wire (peer protocol {@code error {code, message}}), in the
 * HTTP API and in logs, so a code is never renamed once released. The Java constant may be renamed;
 * the string may not.
 */
public enum ErrorCode {
    /** A signature is malformed, malleable, or does not recover to a usable signer. */
    INVALID_SIGNATURE("invalid_signature"),
    /** Input bytes or text that cannot be parsed (bad hex, wrong length, bad field). */
    MALFORMED_INPUT("malformed_input"),
    /** A private key outside 1..n-1 or in an unreadable format. */
    INVALID_KEY("invalid_key"),
    /** An amount that is negative or does not fit in a uint256. */
    AMOUNT_OUT_OF_RANGE("amount_out_of_range");

    private final String code;

    ErrorCode(String code) {
        this.code = code;
    }

    /** The snake_case string that peers and API clients match on. */
    public String code() {
        return code;
    }

    @Override
    public String toString() {
        return code;
    }
}
