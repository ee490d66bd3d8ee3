package io.turnpike.chain.tx;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;

/**
 * A transaction that will never count ({@link ErrorCode#TRANSACTION_REJECTED}, {@link ErrorCode#NONCE_TAKEN}); the
 * message says what to do.
 */
public final class TransactionException extends TurnpikeException {

    TransactionException(ErrorCode code, String message) {
        super(code, message);
    }
}
