package io.turnpike.chain;

import io.turnpike.core.crypto.Bytes32;
import java.util.HexFormat;

/**
 * A signed transaction: the exact bytes to broadcast (and to broadcast again, unchanged, after an
 * ambiguous send) and their hash. {@link #toString()} leaves the bytes out so they never reach a log.
 */
public record SignedTransaction(byte[] raw, Bytes32 hash) {

    public SignedTransaction {
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** The bytes as eth_sendRawTransaction takes them. */
    public String rawHex() {
        return hex(raw);
    }

    static String hex(byte[] bytes) {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTransaction other && hash.equals(other.hash);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "SignedTransaction[" + hash + ", " + raw.length + " bytes]";
    }
}
