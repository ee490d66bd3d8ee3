package io.turnpike.store;

import java.util.Locale;

/** 32-byte hashes (transactions, blocks) travel as "0x" + 64 hex digits, the JSON-RPC form. */
final class Hashes {

    private Hashes() {}

    /** The hash in lower case, or an exception naming {@code what} if it is not a 32-byte hex hash. */
    static String require(String hash, String what) {
        if (hash == null || hash.length() != 66 || !hash.startsWith("0x")
                || !hash.chars().skip(2).allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException(what + " must be 0x + 64 hex digits, got '" + hash + "'");
        }
        return hash.toLowerCase(Locale.ROOT);
    }
}
