package io.turnpike.relay;

/** The REP field of a SOCKS5 reply (RFC 1928 §6). */
enum Reply {
    SUCCEEDED(0x00),
    GENERAL_FAILURE(0x01),
    NOT_ALLOWED(0x02),
    NETWORK_UNREACHABLE(0x03),
    HOST_UNREACHABLE(0x04),
    CONNECTION_REFUSED(0x05),
    COMMAND_NOT_SUPPORTED(0x07),
    ADDRESS_TYPE_NOT_SUPPORTED(0x08);

    final int code;

    Reply(int code) {
        this.code = code;
    }
}
