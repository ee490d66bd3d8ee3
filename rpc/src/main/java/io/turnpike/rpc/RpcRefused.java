package io.turnpike.rpc;

/** A request, or one call of it, that the front answers with an error of its own instead of serving it. */
final class RpcRefused extends Exception {

    private final RpcRefusal refusal;

    RpcRefused(RpcRefusal refusal, String message) {
        super(message, null, false, false);
        this.refusal = refusal;
    }

    RpcRefusal refusal() {
        return refusal;
    }
}
