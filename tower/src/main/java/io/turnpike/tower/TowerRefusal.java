package io.turnpike.tower;

/**
 * A request the tower refuses, as the API answers it: an HTTP status, a stable code clients match on, and a
 * sentence saying what to do. Nothing was stored and no gas was spent when one is thrown.
 */
final class TowerRefusal extends RuntimeException {

    static final String MALFORMED_BODY = "malformed_body";
    static final String WRONG_SIGNER = "wrong_signer";
    static final String UNKNOWN_CHANNEL = "unknown_channel";
    static final String STALE_PROOF = "stale_proof";
    static final String CHANNEL_SETTLED = "channel_settled";
    static final String REWARD_TOO_HIGH = "reward_too_high";
    static final String STALE_REQUEST = "stale_request";
    static final String NOT_FOUND = "not_found";
    static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    static final String CHAIN_UNAVAILABLE = "chain_unavailable";
    static final String INTERNAL = "internal";

    private final int status;
    private final String code;

    TowerRefusal(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    static TowerRefusal malformed(String message) {
        return new TowerRefusal(400, MALFORMED_BODY, message);
    }

    static TowerRefusal wrongSigner(String message) {
        return new TowerRefusal(403, WRONG_SIGNER, message);
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
