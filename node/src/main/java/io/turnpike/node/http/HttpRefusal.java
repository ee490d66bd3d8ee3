package io.turnpike.node.http;

/**
 * A request refused by {@link JsonHttpServer}'s limits while a surface reads it (its body too large or too slow).
 * Checked, so a surface's own handling of failures cannot turn it into a 500: it passes through to the server,
 * which answers it with the surface's code prefix and closes the connection.
 */
public final class HttpRefusal extends Exception {

    private final int status;
    private final String reason;

    HttpRefusal(int status, String reason, String message) {
        super(message);
        this.status = status;
        this.reason = reason;
    }

    int status() {
        return status;
    }

    /** The code without the surface's prefix: {@code body_too_large}. */
    String reason() {
        return reason;
    }
}
