package io.turnpike.relay;

import java.io.IOException;

/** A request the server answers with a failure reply before closing the connection. */
final class SocksRefusal extends IOException {

    final Reply reply;

    SocksRefusal(Reply reply, String message) {
        super(message);
        this.reply = reply;
    }
}
