package io.turnpike.chain.tx;

import java.util.Objects;

/** A transaction that will never count; {@link #code()} is stable, the message says what to do. */
public final class TransactionException extends RuntimeException {

    /** Stable codes, safe to show to an operator or send in an API error. */
    public enum Code {
        /** The chain refused the transaction outright (insufficient funds, gas limit…); it was never published. */
        REJECTED("chain.tx_rejected"),
        /** Another transaction from the same key used the nonce: the key is used outside this node. */
        NONCE_TAKEN("chain.nonce_taken");

        private final String id;

        Code(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Code code;

    TransactionException(Code code, String message) {
        super(code.id() + ": " + message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
