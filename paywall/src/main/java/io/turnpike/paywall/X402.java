package io.turnpike.paywall;

import io.turnpike.core.ErrorCode;
import io.turnpike.http.JsonObjectReader;
import java.util.Base64;
import tools.jackson.databind.JsonNode;

/** x402's HTTP headers, and how their values are written: base64 of compact JSON. */
public final class X402 {

    /** v2: the requirements, on a 402. */
    public static final String PAYMENT_REQUIRED = "PAYMENT-REQUIRED";
    /** v2: the payment, on the paid request. */
    public static final String PAYMENT_SIGNATURE = "PAYMENT-SIGNATURE";
    /** v2: the settlement, on the paid answer. */
    public static final String PAYMENT_RESPONSE = "PAYMENT-RESPONSE";
    /** v1: the payment. */
    public static final String X_PAYMENT = "X-PAYMENT";
    /** v1: the settlement. */
    public static final String X_PAYMENT_RESPONSE = "X-PAYMENT-RESPONSE";

    private X402() {
    }

    public static String encode(JsonNode json) {
        return Base64.getEncoder().encodeToString(JsonObjectReader.MAPPER.writeValueAsBytes(json));
    }

    /** @throws JsonObjectReader.BadJson if {@code header} is not base64 of one JSON object */
    public static JsonObjectReader decode(String header) {
        try {
            return JsonObjectReader.parse(Base64.getDecoder().decode(header.strip()));
        } catch (IllegalArgumentException notBase64) {
            throw new JsonObjectReader.BadJson(ErrorCode.MALFORMED_BODY, "not base64: " + notBase64.getMessage());
        }
    }
}
