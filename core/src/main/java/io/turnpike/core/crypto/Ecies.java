package io.turnpike.core.crypto;

import static io.turnpike.core.crypto.Secp256k1Curve.NATIVE;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KDF;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals a message to a secp256k1 public key so that only the key's owner can open it (ECIES), as a mailbox envelope
 * is: the provider that stores it holds ciphertext only. A fresh ephemeral key per message; the shared secret is
 * libsecp256k1's ECDH, SHA-256 of the shared point compressed; HKDF-SHA256 over it, salted with both public keys,
 * gives an AES-256-GCM key and nonce, so the nonce is never reused (the ephemeral key never is). Format, in order:
 * {@value #VERSION} (1 byte), the ephemeral public key compressed (33), the ciphertext, the GCM tag (16); the first 34
 * bytes are the additional authenticated data. docs/mailbox.md states it for other implementations.
 */
public final class Ecies {

    public static final byte VERSION = 1;
    /** What sealing adds to a message: version, ephemeral key, tag. */
    public static final int OVERHEAD = 1 + 33 + 16;

    private static final int HEADER = 1 + 33;
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte[] INFO = "turnpike mailbox v1".getBytes(StandardCharsets.US_ASCII);

    private Ecies() {
    }

    /** {@code plaintext} sealed to {@code recipient}, with an ephemeral key drawn from {@code random}. */
    public static byte[] seal(PublicKey recipient, byte[] plaintext, SecureRandom random) {
        PrivateKey ephemeral = PrivateKey.random(random);
        byte[] ephemeralPublic = PublicKey.of(ephemeral).compressed();
        byte[] header = new byte[HEADER];
        header[0] = VERSION;
        System.arraycopy(ephemeralPublic, 0, header, 1, ephemeralPublic.length);
        byte[] secret = sharedSecret(ephemeral, recipient);
        Cipher cipher = cipher(Cipher.ENCRYPT_MODE, secret, ephemeralPublic, recipient, header);
        byte[] sealed = Arrays.copyOf(header, HEADER + plaintext.length + TAG_BITS / 8);
        try {
            cipher.doFinal(plaintext, 0, plaintext.length, sealed, HEADER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to encrypt: " + e.getMessage(), e);
        }
        return sealed;
    }

    /**
     * The message {@code envelope} holds, if it was sealed to {@code recipient}.
     *
     * @throws TurnpikeException {@code malformed_input} if it is not an envelope of this format, was sealed to another
     *     key, or was changed on the way
     */
    public static byte[] open(PrivateKey recipient, byte[] envelope) {
        if (envelope.length < OVERHEAD || envelope[0] != VERSION) {
            throw unreadable("it is not a version " + VERSION + " envelope of at least " + OVERHEAD + " bytes");
        }
        byte[] ephemeralPublic = Arrays.copyOfRange(envelope, 1, HEADER);
        PublicKey ephemeral;
        try {
            ephemeral = PublicKey.fromSec1(ephemeralPublic);
        } catch (TurnpikeException notOnCurve) {
            throw unreadable("its ephemeral key is not a point on secp256k1");
        }
        byte[] secret = sharedSecret(recipient, ephemeral);
        Cipher cipher = cipher(Cipher.DECRYPT_MODE, secret, ephemeralPublic, PublicKey.of(recipient),
                Arrays.copyOf(envelope, HEADER));
        try {
            return cipher.doFinal(envelope, HEADER, envelope.length - HEADER);
        } catch (AEADBadTagException e) {
            throw unreadable("it was sealed to another key, or changed after it was sealed");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to decrypt: " + e.getMessage(), e);
        }
    }

    /** libsecp256k1's ECDH: SHA-256 of the shared point, compressed. */
    private static byte[] sharedSecret(PrivateKey own, PublicKey other) {
        byte[] key = own.bytes();
        try {
            return NATIVE.ecdh(key, other.uncompressed());
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Cipher cipher(int mode, byte[] secret, byte[] ephemeralPublic, PublicKey recipient, byte[] aad) {
        byte[] salt = new byte[2 * 33];
        System.arraycopy(ephemeralPublic, 0, salt, 0, 33);
        System.arraycopy(recipient.compressed(), 0, salt, 33, 33);
        try {
            byte[] okm = KDF.getInstance("HKDF-SHA256").deriveData(HKDFParameterSpec.ofExtract().addIKM(secret)
                    .addSalt(salt).thenExpand(INFO, KEY_BYTES + NONCE_BYTES));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(okm, 0, KEY_BYTES, "AES"),
                    new GCMParameterSpec(TAG_BITS, okm, KEY_BYTES, NONCE_BYTES));
            cipher.updateAAD(aad);
            Arrays.fill(okm, (byte) 0);
            return cipher;
        } catch (GeneralSecurityException e) {
            // HKDF-SHA256 and AES/GCM are in every JDK 25.
            throw new IllegalStateException("the JDK lacks HKDF-SHA256 or AES-GCM: " + e.getMessage(), e);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static TurnpikeException unreadable(String why) {
        return new TurnpikeException(ErrorCode.MALFORMED_INPUT, "the envelope cannot be opened: " + why);
    }
}
