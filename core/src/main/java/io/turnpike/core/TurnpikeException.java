package io.turnpike.core;

import java.util.Objects;

/**
 * An error a user or a peer can cause, with a stable {@link ErrorCode} and a message that says what
 * to do about it.
 */
public class TurnpikeException extends RuntimeException {

    private final ErrorCode code;

    public TurnpikeException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public TurnpikeException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + code.code() + "]: " + getMessage();
    }
}
