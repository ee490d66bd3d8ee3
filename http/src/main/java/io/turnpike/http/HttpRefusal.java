package io.turnpike.http;

import io.turnpike.core.ErrorCode;

/**
 * A request refused by {@link JsonHttpServer}'s limits while a surface reads it (its body too large or too slow).
 * Checked, so a surface's own handling of failures cannot turn it into a 500: it passes through to the server,
 * which answers it in the surface's {@link JsonHttpServer.RefusalFormat} and closes the connection.
 */
public final class HttpRefusal extends Exception {

    private final ErrorCode code;

    HttpRefusal(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    ErrorCode code() {
        return code;
    }
}
