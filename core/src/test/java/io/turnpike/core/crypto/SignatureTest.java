package io.turnpike.core.crypto;

import static io.turnpike.core.ErrorCode.INVALID_SIGNATURE;
import static io.turnpike.core.ErrorCode.MALFORMED_INPUT;
import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.testing.Bytes;
import io.turnpike.core.testing.TurnpikeArbitraries;
import io.turnpike.core.testing.Web3jOracle;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;
import net.jqwik.api.statistics.Statistics;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class SignatureTest {

    private static final BigInteger N = Web3jOracle.CURVE_ORDER;
    private static final PrivateKey KEY =
            PrivateKey.fromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    private static final byte[] DIGEST = Keccak256.hash("turnpike".getBytes(StandardCharsets.UTF_8));

    /**
     * Both sides use the RFC 6979 nonce and low-s, so a signature is the same bytes, not just equivalent.
     * web3j finds v by trial recovery and core takes it from libsecp256k1, so the run must see both values of v.
     */
    @Property
    void nativeSignatureIsByteForByteWeb3jSignature(@ForAll PrivateKey key, @ForAll @Size(32) byte[] digest) {
        Signature signature = key.sign(digest);

        assertThat(signature.bytes()).isEqualTo(Web3jOracle.sign(key, digest));
        assertThat(signature.s()).isLessThanOrEqualTo(N.shiftRight(1));
        assertThat(signature.v()).isIn(27, 28);
        Statistics.collect(signature.v());
        Statistics.coverage(coverage -> {
            coverage.check(27).percentage(p -> p > 30);
            coverage.check(28).percentage(p -> p > 30);
        });
    }

    @Property
    void recoveredSignerIsTheKeysAddressAsWeb3jRecoversIt(@ForAll PrivateKey key, @ForAll @Size(32) byte[] digest) {
        Signature signature = key.sign(digest);

        assertThat(signature.recover(digest))
                .isEqualTo(key.address())
                .isEqualTo(Web3jOracle.recover(signature.bytes(), digest));
    }

    @Property
    void mutatedDigestRecoversToADifferentAddress(
            @ForAll PrivateKey key, @ForAll @Size(32) byte[] digest, @ForAll @IntRange(max = 255) int bit) {
        Signature signature = key.sign(digest);

        assertThat(signature.recover(Bytes.flipBit(digest, bit))).isNotEqualTo(key.address());
    }

    /**
     * (r, n − s) with v flipped is the same signature in its malleable form: web3j, like ecrecover,
     * still recovers the signer from it, which is exactly why it must be refused before it is stored.
     */
    @Property
    void highSSignatureIsRejectedAsMalleable(@ForAll PrivateKey key, @ForAll @Size(32) byte[] digest) {
        Signature signature = key.sign(digest);
        byte[] malleated = withS(signature.bytes(), N.subtract(signature.s()));
        malleated[64] = (byte) (55 - signature.v());

        assertThat(Web3jOracle.recover(malleated, digest)).isEqualTo(key.address());
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(malleated)).contains("malleable");
    }

    @Example
    void sExactlyHalfTheOrderIsTheLargestAcceptedS() {
        byte[] atHalf = withS(KEY.sign(DIGEST).bytes(), N.shiftRight(1));
        byte[] aboveHalf = withS(KEY.sign(DIGEST).bytes(), N.shiftRight(1).add(BigInteger.ONE));

        assertThat(Signature.of(atHalf).s()).isEqualTo(N.shiftRight(1));
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(aboveHalf)).contains("malleable");
    }

    @Example
    void recoveryIdsWrittenAsZeroOrOneOrAnythingButTwentySevenOrTwentyEightAreRefused() {
        for (int v : List.of(0, 1, 26, 29, 35, 255)) {
            byte[] bytes = KEY.sign(DIGEST).bytes();
            bytes[64] = (byte) v;
            assertRejected(INVALID_SIGNATURE, () -> Signature.of(bytes)).contains("27 or 28");
        }
    }

    @Example
    void signatureOfWrongLengthIsRefused() {
        byte[] bytes = KEY.sign(DIGEST).bytes();

        assertRejected(INVALID_SIGNATURE, () -> Signature.of(Arrays.copyOf(bytes, 64))).contains("65 bytes");
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(Arrays.copyOf(bytes, 66))).contains("65 bytes");
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(new byte[0])).contains("65 bytes");
    }

    @Example
    void zeroOrOutOfRangeROrSIsRefused() {
        byte[] bytes = KEY.sign(DIGEST).bytes();

        assertRejected(INVALID_SIGNATURE, () -> Signature.of(withR(bytes, BigInteger.ZERO))).contains("r must be");
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(withR(bytes, N))).contains("r must be");
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(withS(bytes, BigInteger.ZERO))).contains("s must be");
        assertRejected(INVALID_SIGNATURE, () -> Signature.of(withS(bytes, N))).contains("s must be");
    }

    @Example
    void rThatIsNoPointOnTheCurveRecoversNoSigner() {
        // x = 5 has no y on secp256k1 (5^3 + 7 = 132 is not a square mod p), so no key recovers from it.
        Signature noPoint = Signature.of(withR(KEY.sign(DIGEST).bytes(), BigInteger.valueOf(5)));

        assertRejected(INVALID_SIGNATURE, () -> noPoint.recover(DIGEST)).contains("does not match any key");
    }

    @Example
    void hexFormRoundTripsWithOrWithoutPrefix() {
        Signature signature = KEY.sign(DIGEST);

        assertThat(signature.toHex()).startsWith("0x").hasSize(2 + 130);
        assertThat(Signature.fromHex(signature.toHex())).isEqualTo(signature);
        assertThat(Signature.fromHex(signature.toHex().substring(2))).isEqualTo(signature);
        assertThat(Signature.fromHex(signature.toHex()).hashCode()).isEqualTo(signature.hashCode());
    }

    @Example
    void nonHexSignatureIsMalformedInput() {
        assertRejected(MALFORMED_INPUT, () -> Signature.fromHex("0xnot-a-signature"));
    }

    @Example
    void partsAreRSAndV() {
        byte[] bytes = KEY.sign(DIGEST).bytes();
        Signature signature = Signature.of(bytes);

        assertThat(signature.r()).isEqualTo(new BigInteger(1, Arrays.copyOfRange(bytes, 0, 32)));
        assertThat(signature.s()).isEqualTo(new BigInteger(1, Arrays.copyOfRange(bytes, 32, 64)));
        assertThat(signature.v()).isEqualTo(bytes[64]);
    }

    @Example
    void bytesAreACopy() {
        Signature signature = KEY.sign(DIGEST);
        byte[] bytes = signature.bytes();
        bytes[0] ^= 1;

        assertThat(signature.bytes()).isNotEqualTo(bytes);
    }

    @Example
    void digestThatIsNotThirtyTwoBytesIsMalformedInput() {
        Signature signature = KEY.sign(DIGEST);

        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> KEY.sign(new byte[31]), () -> signature.recover(new byte[33]))) {
            assertRejected(MALFORMED_INPUT, call);
        }
    }

    private static byte[] withR(byte[] signature, BigInteger r) {
        byte[] out = signature.clone();
        System.arraycopy(Bytes.leftPad(r, 32), 0, out, 0, 32);
        return out;
    }

    private static byte[] withS(byte[] signature, BigInteger s) {
        byte[] out = signature.clone();
        System.arraycopy(Bytes.leftPad(s, 32), 0, out, 32, 32);
        return out;
    }
}
