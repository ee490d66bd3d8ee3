package io.turnpike.chain.rpc;

import java.util.Objects;

/** The chain could not be reached the way the node needs it; {@link #code()} is stable, the message says what to do. */
public final class RpcException extends RuntimeException {

    /** Stable codes, safe to show to an operator or send in an API error. */
    public enum Code {
        /** An endpoint serves another chain than the one configured; the node refuses to start on it. */
        WRONG_CHAIN_ID("chain.wrong_chain_id"),
        /** No endpoint answered at startup. */
        UNREACHABLE("chain.unreachable"),
        /** Every endpoint failed or is backing off; nothing was done, try again later. */
        UNAVAILABLE("chain.unavailable");

        private final String id;

        Code(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Code code;

    RpcException(Code code, String message) {
        super(code.id() + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
