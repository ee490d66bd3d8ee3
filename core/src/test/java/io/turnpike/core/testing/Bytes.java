package io.turnpike.core.testing;

import java.math.BigInteger;

/** Byte-level helpers for building and corrupting test inputs. */
public final class Bytes {

    private Bytes() {
    }

    /** The unsigned big-endian form of {@code value}, left-padded with zeros to {@code length} bytes. */
    public static byte[] leftPad(BigInteger value, int length) {
        if (value.signum() < 0 || value.bitLength() > 8 * length) {
            throw new IllegalArgumentException(value + " does not fit in " + length + " unsigned bytes");
        }
        byte[] magnitude = value.toByteArray(); // may carry one leading sign byte of 0
        int copied = Math.min(magnitude.length, length);
        byte[] out = new byte[length];
        System.arraycopy(magnitude, magnitude.length - copied, out, length - copied, copied);
        return out;
    }

    /** A copy of {@code bytes} with bit {@code bit} (0 = lowest bit of the last byte) flipped. */
    public static byte[] flipBit(byte[] bytes, int bit) {
        byte[] out = bytes.clone();
        out[out.length - 1 - bit / 8] ^= (byte) (1 << (bit % 8));
        return out;
    }
}
