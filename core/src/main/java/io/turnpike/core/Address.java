package io.turnpike.core;

import io.turnpike.core.crypto.Keccak256;
import java.util.Arrays;
import java.util.HexFormat;

/** A 20-byte Ethereum address: a node's identity, a contract, or a token. Printed EIP-55 checksummed. */
public final class Address implements Comparable<Address> {

    public static final int LENGTH = 20;
    public static final Address ZERO = new Address(new byte[LENGTH]);

    private final byte[] bytes;

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Address fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("an address is 20 bytes, got " + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /**
     * Parses "0x" + 40 hex digits. A mixed-case address must carry a valid EIP-55 checksum, so a
     * mistyped address is caught instead of paying a stranger.
     */
    public static Address of(String hex) {
        String digits = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        if (digits.length() != 2 * LENGTH || !digits.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("not an address (0x + 40 hex digits): '" + hex + "'");
        }
        Address address = new Address(HexFormat.of().parseHex(digits));
        boolean mixedCase = !digits.equals(digits.toLowerCase()) && !digits.equals(digits.toUpperCase());
        if (mixedCase && !address.toString().substring(2).equals(digits)) {
            throw new IllegalArgumentException("address checksum mismatch (EIP-55): '" + hex + "'");
        }
        return address;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** Lower-case hex with 0x, the form used in JSON-RPC and database keys. */
    public String toLowerHex() {
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    /** EIP-55 mixed-case checksum form. */
    @Override
    public String toString() {
        String lower = HexFormat.of().formatHex(bytes);
        byte[] hash = Keccak256.hash(lower.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        StringBuilder out = new StringBuilder("0x");
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            int nibble = (hash[i / 2] >> (i % 2 == 0 ? 4 : 0)) & 0xf;
            out.append(nibble >= 8 ? Character.toUpperCase(c) : c);
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Address other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }
}
