package io.turnpike.core.crypto;

import org.bouncycastle.crypto.digests.KeccakDigest;

/** Ethereum's Keccak-256 (the original Keccak padding, not NIST SHA3-256). */
public final class Keccak256 {

    public static final int LENGTH = 32;

    private Keccak256() {
    }

    /** The hash of the concatenation of {@code parts}. */
    public static byte[] hash(byte[]... parts) {
        KeccakDigest digest = new KeccakDigest(256);
        for (byte[] part : parts) {
            digest.update(part, 0, part.length);
        }
        byte[] out = new byte[LENGTH];
        digest.doFinal(out, 0);
        return out;
    }
}
