package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;

/**
 * A store operation that could not be done, so callers can catch the store's failures apart from others; its code is
 * one of core's {@link ErrorCode}s (database_write_failed, identity_mismatch …) and the message says what to do.
 */
public final class StoreException extends TurnpikeException {

    StoreException(ErrorCode code, String message) {
        super(code, message);
    }

    StoreException(ErrorCode code, String message, Throwable cause) {
        super(code, message, cause);
    }
}
