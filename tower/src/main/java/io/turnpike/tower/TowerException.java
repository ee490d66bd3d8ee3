package io.turnpike.tower;

import java.util.Objects;

/**
 * The tower could not start or keep running: a setting, a keystore, a port or a chain that is not what it
 * should be. {@link #code()} is stable; the message says what to do.
 */
public final class TowerException extends RuntimeException {

    private final String code;

    TowerException(String code, String message) {
        this(code, message, null);
    }

    TowerException(String code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public String code() {
        return code;
    }
}
