package io.turnpike.core.crypto;

import static io.turnpike.core.crypto.Secp256k1Curve.NATIVE;
import static io.turnpike.core.crypto.Secp256k1Curve.SCALAR_LENGTH;

import fr.acinq.secp256k1.Secp256k1Exception;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A 65-byte recoverable ECDSA signature r ‖ s ‖ v, as Ethereum's ecrecover takes it. Only canonical
 * signatures exist as objects: r and s in 1..n-1, s at most n/2 (EIP-2 low-s), v 27 or 28, so a
 * signature has exactly one byte form and cannot be malleated into a second valid one.
 */
public final class Signature {

    public static final int LENGTH = 65;
    static final int V_OFFSET = 27;

    private static final int S_FROM = SCALAR_LENGTH;
    private static final int V_AT = 2 * SCALAR_LENGTH;

    private final byte[] bytes;

    private Signature(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Signature of(byte[] sig65) {
        if (sig65.length != LENGTH) {
            throw invalid("a signature is 65 bytes (r ‖ s ‖ v), got " + sig65.length
                    + "; pass the whole signature as produced by the signer");
        }
        int v = sig65[V_AT] & 0xff;
        if (v != V_OFFSET && v != V_OFFSET + 1) {
            throw invalid("a signature's v must be 27 or 28, got " + v
                    + "; a signer that writes 0/1 (or an EIP-155 v) must be converted to 27/28");
        }
        if (!Secp256k1Curve.isValidScalar(sig65, 0)) {
            throw invalid("a signature's r must be between 1 and n-1; the signature is corrupt");
        }
        if (!Secp256k1Curve.isValidScalar(sig65, S_FROM)) {
            throw invalid("a signature's s must be between 1 and n-1; the signature is corrupt");
        }
        if (!Secp256k1Curve.isLowS(sig65, S_FROM)) {
            throw invalid("a signature's s is above n/2, a malleable form (EIP-2) that the contract "
                    + "refuses; sign again with a signer that produces low-s signatures");
        }
        return new Signature(sig65.clone());
    }

    /** A signature from 130 hex digits, with or without "0x". */
    public static Signature fromHex(String hex) {
        byte[] bytes = Hex.decode(hex).orElseThrow(() -> new TurnpikeException(ErrorCode.MALFORMED_INPUT,
                "a signature in hex is 130 hex digits, optionally prefixed by 0x; got " + hex.length()
                        + " characters that are not all hex"));
        return of(bytes);
    }

    /** The address whose key made this signature over {@code digest32}. */
    public Address recover(byte[] digest32) {
        return recoverKey(digest32).address();
    }

    /** The public key that made this signature over {@code digest32}: its owner's, to encrypt to. */
    public PublicKey recoverKey(byte[] digest32) {
        Secp256k1Curve.requireDigest(digest32);
        byte[] publicKey;
        try {
            publicKey = NATIVE.ecdsaRecover(Arrays.copyOf(bytes, V_AT), digest32, v() - V_OFFSET);
        } catch (Secp256k1Exception noKey) {
            throw invalid("the signature does not match any key for this message; "
                    + "ask the signer to sign the message again", noKey);
        }
        PublicKey signer = PublicKey.fromLibrary(publicKey);
        if (signer.address().isZero()) {
            throw invalid("the signature recovers to the zero address, which no one controls; refuse it");
        }
        return signer;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String toHex() {
        return Hex.encode(bytes);
    }

    public BigInteger r() {
        return new BigInteger(1, Arrays.copyOfRange(bytes, 0, S_FROM));
    }

    public BigInteger s() {
        return new BigInteger(1, Arrays.copyOfRange(bytes, S_FROM, V_AT));
    }

    /** 27 or 28. */
    public int v() {
        return bytes[V_AT] & 0xff;
    }

    private static TurnpikeException invalid(String message) {
        return new TurnpikeException(ErrorCode.INVALID_SIGNATURE, message);
    }

    private static TurnpikeException invalid(String message, Throwable cause) {
        return new TurnpikeException(ErrorCode.INVALID_SIGNATURE, message, cause);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signature other && Arrays.equals(bytes, other.bytes);
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
