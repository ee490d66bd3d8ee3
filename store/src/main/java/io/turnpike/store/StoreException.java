package io.turnpike.store;

import java.util.Objects;

/**
 * A store operation that could not be done; {@link #code()} is stable, the message says what to do.
 * The codes are snake_case like core's {@code ErrorCode}, so the node can report both the same way.
 */
public final class StoreException extends RuntimeException {

    /** Stable codes, safe to show to an operator or send in an API error; the strings never change. */
    public enum Code {
        /** The database was bound to another node key, chain or contract. */
        IDENTITY_MISMATCH("identity_mismatch"),
        /** The JDBC URL names an engine the store does not run on. */
        UNSUPPORTED_URL("unsupported_database_url"),
        /** The database could not be opened or migrated. */
        OPEN_FAILED("database_open_failed"),
        /** Another process has an exclusive store open on this PostgreSQL database as the same node. */
        LOCKED("database_locked"),
        READ_FAILED("database_read_failed"),
        /**
         * The write is not known to be durable: a write the database refused changed nothing; after a
         * failed commit (a lost connection, say) read back before retrying.
         */
        WRITE_FAILED("database_write_failed"),
        /** The store was closed before the write was queued; nothing was stored. */
        CLOSED("store_closed"),
        UNKNOWN_CHANNEL("unknown_channel"),
        UNKNOWN_TRANSACTION("unknown_transaction"),
        /** A transaction that already reached a final status cannot be replaced. */
        TRANSACTION_FINAL("transaction_final");

        private final String id;

        Code(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Code code;

    StoreException(Code code, String message) {
        this(code, message, null);
    }

    StoreException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }

    @Override
    public String toString() {
        return "StoreException[" + code.id() + "]: " + getMessage();
    }
}
