package io.turnpike.core.crypto;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.security.SecureRandom;
import java.util.Arrays;

/** 32 opaque bytes, Solidity's {@code bytes32}: a handshake challenge, a transaction hash. Written 0x + 64 hex digits. */
public final class Bytes32 {

    public static final int LENGTH = 32;

    private final byte[] bytes;

    private Bytes32(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Bytes32 of(byte[] bytes32) {
        if (bytes32.length != LENGTH) {
            throw new TurnpikeException(ErrorCode.MALFORMED_INPUT, "a bytes32 value is 32 bytes, got " + bytes32.length);
        }
        return new Bytes32(bytes32.clone());
    }

    /** From 64 hex digits, with or without "0x". */
    public static Bytes32 fromHex(String hex) {
        return of(Hex.decode(hex).orElseThrow(() -> new TurnpikeException(ErrorCode.MALFORMED_INPUT,
                "a bytes32 value in hex is 64 hex digits, optionally prefixed by 0x; got '" + hex + "'")));
    }

    public static Bytes32 random(SecureRandom random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new Bytes32(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** "0x" + 64 lower-case hex digits. */
    public String toHex() {
        return Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes32 other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
