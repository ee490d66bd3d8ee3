package io.turnpike.core.crypto;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * EIP-712 {@code hashStruct} for structs of static fields: keccak(typeHash ‖ encodeData), each field
 * one 32-byte ABI word. Fields are fed straight into the hash, so hashing a message allocates almost
 * nothing.
 */
public final class StructHasher {

    private static final int WORD = 32;

    private final KeccakDigest digest = new KeccakDigest(256);
    private final byte[] word = new byte[WORD];

    private StructHasher(byte[] typeHash) {
        digest.update(typeHash, 0, typeHash.length);
    }

    /** keccak of the encoded type, e.g. "BalanceProof(uint256 channelId,uint256 nonce,uint256 transferred)". */
    public static byte[] typeHash(String encodedType) {
        return Keccak256.hash(encodedType.getBytes(StandardCharsets.UTF_8));
    }

    public static StructHasher of(byte[] typeHash) {
        return new StructHasher(typeHash);
    }

    /** A non-negative integer as uint256. */
    public StructHasher uint256(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("a uint256 field cannot be negative: " + value);
        }
        Arrays.fill(word, (byte) 0);
        for (int i = 0; i < Long.BYTES; i++) {
            word[WORD - 1 - i] = (byte) (value >>> (8 * i));
        }
        return feed(word);
    }

    public StructHasher uint256(Amount amount) {
        BigInteger value = amount.value();
        Arrays.fill(word, (byte) 0);
        byte[] magnitude = value.toByteArray();
        // toByteArray adds a leading sign byte when the top bit is set; an Amount is never negative.
        int skip = magnitude.length > WORD ? magnitude.length - WORD : 0;
        System.arraycopy(magnitude, skip, word, WORD - (magnitude.length - skip), magnitude.length - skip);
        return feed(word);
    }

    /** An address, left-padded with zeros to 32 bytes. */
    public StructHasher address(Address address) {
        Arrays.fill(word, (byte) 0);
        byte[] bytes = address.bytes();
        System.arraycopy(bytes, 0, word, WORD - Address.LENGTH, Address.LENGTH);
        return feed(word);
    }

    public StructHasher bytes32(Bytes32 value) {
        return feed(value.bytes());
    }

    /** A dynamic string field is encoded as the keccak of its UTF-8 bytes. */
    public StructHasher string(String value) {
        return feed(Keccak256.hash(value.getBytes(StandardCharsets.UTF_8)));
    }

    public byte[] hash() {
        byte[] out = new byte[Keccak256.LENGTH];
        digest.doFinal(out, 0);
        return out;
    }

    private StructHasher feed(byte[] word32) {
        digest.update(word32, 0, WORD);
        return this;
    }
}
