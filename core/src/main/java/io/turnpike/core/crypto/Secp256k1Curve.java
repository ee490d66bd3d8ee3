package io.turnpike.core.crypto;

import fr.acinq.secp256k1.Secp256k1;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;

/** The secp256k1 group order and the native library, shared by keys and signatures. */
final class Secp256k1Curve {

    static final Secp256k1 NATIVE = Secp256k1.Companion.get();

    static final BigInteger N =
            new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
    static final BigInteger HALF_N = N.shiftRight(1);

    // Byte forms let range checks on every received signature run without allocating BigIntegers.
    private static final byte[] N_BYTES = HexFormat.of().parseHex(N.toString(16));
    private static final byte[] HALF_N_BYTES = HexFormat.of().parseHex(HALF_N.toString(16));

    static final int SCALAR_LENGTH = 32;

    private Secp256k1Curve() {
    }

    /** Whether the 32-byte big-endian scalar at {@code from} is within 1..n-1. */
    static boolean isValidScalar(byte[] bytes, int from) {
        return !isZero(bytes, from) && compare(bytes, from, N_BYTES) < 0;
    }

    /** Whether the 32-byte big-endian scalar at {@code from} is at most n/2 (the low-s rule). */
    static boolean isLowS(byte[] bytes, int from) {
        return compare(bytes, from, HALF_N_BYTES) <= 0;
    }

    static void requireDigest(byte[] digest) {
        if (digest.length != Keccak256.LENGTH) {
            throw new TurnpikeException(ErrorCode.MALFORMED_INPUT,
                    "a digest to sign or recover is 32 bytes (a Keccak-256 hash), got " + digest.length
                            + "; hash the message first, e.g. with Eip712Domain.digest");
        }
    }

    /** The Ethereum address of an uncompressed public key (0x04 ‖ x ‖ y): keccak(x ‖ y), last 20 bytes. */
    static Address addressOf(byte[] uncompressedPublicKey) {
        byte[] hash = Keccak256.hash(Arrays.copyOfRange(uncompressedPublicKey, 1, uncompressedPublicKey.length));
        return Address.fromBytes(Arrays.copyOfRange(hash, Keccak256.LENGTH - Address.LENGTH, Keccak256.LENGTH));
    }

    private static boolean isZero(byte[] bytes, int from) {
        int acc = 0;
        for (int i = from; i < from + SCALAR_LENGTH; i++) {
            acc |= bytes[i];
        }
        return acc == 0;
    }

    private static int compare(byte[] bytes, int from, byte[] bound) {
        return Arrays.compareUnsigned(bytes, from, from + SCALAR_LENGTH, bound, 0, SCALAR_LENGTH);
    }
}
