package io.turnpike.core.crypto;

import static io.turnpike.core.crypto.Secp256k1Curve.NATIVE;

import fr.acinq.secp256k1.Secp256k1Exception;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.util.Arrays;

/**
 * A secp256k1 public key, checked to be a point on the curve: what a sender encrypts a mailbox envelope to. Its
 * address is derived from it, so a key handed over by someone else is checked against the address it should belong to.
 */
public final class PublicKey {

    /** x ‖ y, 32 bytes each: the form {@link PrivateKey#publicKey()} returns. */
    public static final int LENGTH = 64;
    private static final byte UNCOMPRESSED = 0x04;

    /** 0x04 ‖ x ‖ y, the form libsecp256k1 takes. */
    private final byte[] uncompressed;
    private final Address address;

    private PublicKey(byte[] uncompressed) {
        this.uncompressed = uncompressed;
        this.address = Secp256k1Curve.addressOf(uncompressed);
    }

    /** The key x ‖ y (64 bytes); refused as {@code invalid_key} unless it is a point on secp256k1. */
    public static PublicKey of(byte[] xy) {
        if (xy.length != LENGTH) {
            throw invalid("a public key is 64 bytes (x ‖ y), got " + xy.length);
        }
        byte[] uncompressed = new byte[LENGTH + 1];
        uncompressed[0] = UNCOMPRESSED;
        System.arraycopy(xy, 0, uncompressed, 1, LENGTH);
        return fromSec1(uncompressed);
    }

    /** A key from 128 hex digits (x ‖ y), with or without "0x". */
    public static PublicKey fromHex(String hex) {
        return of(Hex.decode(hex).orElseThrow(() -> invalid("a public key in hex is 128 hex digits (x ‖ y), "
                + "optionally prefixed by 0x")));
    }

    public static PublicKey of(PrivateKey key) {
        return fromLibrary(key.uncompressedPublicKey());
    }

    /** A key in SEC1 form, compressed (33 bytes) or not (65); refused as {@code invalid_key} off the curve. */
    static PublicKey fromSec1(byte[] encoded) {
        try {
            return new PublicKey(NATIVE.pubkeyParse(encoded));
        } catch (Secp256k1Exception | IllegalArgumentException notOnCurve) {
            throw invalid("the bytes are not a point on secp256k1; check that the key was copied whole");
        }
    }

    /** A key libsecp256k1 itself returned (0x04 ‖ x ‖ y), so known to be on the curve: not parsed again. */
    static PublicKey fromLibrary(byte[] uncompressed) {
        return new PublicKey(uncompressed);
    }

    public Address address() {
        return address;
    }

    /** x ‖ y, a copy. */
    public byte[] bytes() {
        return Arrays.copyOfRange(uncompressed, 1, uncompressed.length);
    }

    /** 0x04 ‖ x ‖ y, a copy. */
    byte[] uncompressed() {
        return uncompressed.clone();
    }

    /** 0x02 or 0x03 (y's parity) ‖ x: 33 bytes. */
    public byte[] compressed() {
        return NATIVE.pubKeyCompress(uncompressed);
    }

    /** "0x" + 128 hex digits. */
    public String toHex() {
        return Hex.encode(bytes());
    }

    private static TurnpikeException invalid(String message) {
        return new TurnpikeException(ErrorCode.INVALID_KEY, message);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey other && Arrays.equals(uncompressed, other.uncompressed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(uncompressed);
    }

    @Override
    public String toString() {
        return "PublicKey[" + address + "]";
    }
}
