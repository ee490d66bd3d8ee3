package io.turnpike.core.crypto;

import java.util.HexFormat;
import java.util.Optional;

/** Hex text with an optional "0x" prefix, as keys and signatures are written in files and JSON. */
final class Hex {

    private Hex() {
    }

    /** The bytes, or empty when {@code text} is not an even number of hex digits. */
    static Optional<byte[]> decode(String text) {
        String digits = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
        try {
            return Optional.of(HexFormat.of().parseHex(digits));
        } catch (IllegalArgumentException notHex) {
            return Optional.empty();
        }
    }

    static String encode(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
