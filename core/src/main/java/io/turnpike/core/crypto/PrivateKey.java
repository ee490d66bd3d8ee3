package io.turnpike.core.crypto;

import static io.turnpike.core.crypto.Secp256k1Curve.NATIVE;
import static io.turnpike.core.crypto.Secp256k1Curve.SCALAR_LENGTH;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 private key: a node's identity. It signs with native libsecp256k1 and never shows its
 * bytes in {@link #toString()} or in an error message.
 */
public final class PrivateKey {

    private final byte[] key;
    /** 0x04 ‖ x ‖ y, the form libsecp256k1 returns. */
    private final byte[] uncompressedPublicKey;
    private final Address address;

    private PrivateKey(byte[] key) {
        this.key = key;
        this.uncompressedPublicKey = NATIVE.pubkeyCreate(key);
        this.address = Secp256k1Curve.addressOf(uncompressedPublicKey);
    }

    /** A key from its 32 big-endian bytes, which must be within 1..n-1. */
    public static PrivateKey of(byte[] key32) {
        if (key32.length != SCALAR_LENGTH || !Secp256k1Curve.isValidScalar(key32, 0)) {
            // The message must not echo the bytes: they may be a real key with a typo.
            throw new TurnpikeException(ErrorCode.INVALID_KEY,
                    "a private key is 32 bytes with a value between 1 and the curve order n-1; "
                            + "check that the key file or hex string is complete and not corrupted");
        }
        return new PrivateKey(key32.clone());
    }

    /** A key from 64 hex digits, with or without "0x". */
    public static PrivateKey fromHex(String hex) {
        byte[] bytes = Hex.decode(hex).orElseThrow(() -> new TurnpikeException(ErrorCode.INVALID_KEY,
                "a private key in hex is 64 hex digits, optionally prefixed by 0x; "
                        + "check that it was copied completely"));
        return of(bytes);
    }

    public static PrivateKey random(SecureRandom random) {
        byte[] candidate = new byte[SCALAR_LENGTH];
        // A draw outside 1..n-1 has probability about 2^-128; redraw rather than bias the key.
        do {
            random.nextBytes(candidate);
        } while (!Secp256k1Curve.isValidScalar(candidate, 0));
        return new PrivateKey(candidate);
    }

    /** A copy of the 32 key bytes; the caller is responsible for where they go. */
    public byte[] bytes() {
        return key.clone();
    }

    public Address address() {
        return address;
    }

    /** The 64-byte uncompressed public key x ‖ y, without the 0x04 prefix. */
    public byte[] publicKey() {
        return Arrays.copyOfRange(uncompressedPublicKey, 1, uncompressedPublicKey.length);
    }

    /** 0x04 ‖ x ‖ y, a copy. */
    byte[] uncompressedPublicKey() {
        return uncompressedPublicKey.clone();
    }

    /**
     * Signs a 32-byte digest (RFC 6979 deterministic nonce); libsecp256k1 always produces low-s and
     * returns the recovery id with the signature, so v = 27 + recovery id.
     */
    public Signature sign(byte[] digest32) {
        Secp256k1Curve.requireDigest(digest32);
        byte[] signature = RecoverableSigner.sign(digest32, key);
        // Ids 2 and 3 need the nonce point's x to be at least n (probability ~2^-127); they have no
        // v = 27/28 form, and Signature.of refuses them.
        signature[Signature.LENGTH - 1] += Signature.V_OFFSET;
        return Signature.of(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PrivateKey other && MessageDigest.isEqual(key, other.key);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "PrivateKey[address=" + address + "]";
    }
}
