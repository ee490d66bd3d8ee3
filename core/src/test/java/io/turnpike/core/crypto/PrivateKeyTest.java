package io.turnpike.core.crypto;

import static io.turnpike.core.ErrorCode.INVALID_KEY;
import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.testing.Bytes;
import io.turnpike.core.testing.TurnpikeArbitraries;
import io.turnpike.core.testing.Web3jOracle;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.HexFormat;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class PrivateKeyTest {

    private static final BigInteger N = Web3jOracle.CURVE_ORDER;
    private static final String KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    @Property
    void addressAndPublicKeyMatchWeb3j(@ForAll PrivateKey key) {
        assertThat(key.address()).isEqualTo(Web3jOracle.address(key));
        assertThat(key.publicKey()).isEqualTo(Web3jOracle.publicKey(key));
    }

    @Example
    void knownKeyHasItsWellKnownAddress() {
        assertThat(PrivateKey.fromHex("0x" + KEY_HEX).address())
                .isEqualTo(Address.of("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"));
    }

    @Example
    void hexPrefixIsOptional() {
        assertThat(PrivateKey.fromHex(KEY_HEX)).isEqualTo(PrivateKey.fromHex("0x" + KEY_HEX));
    }

    @Example
    void keysOutsideOneToOrderMinusOneAreRejected() {
        assertRejected(INVALID_KEY, () -> PrivateKey.of(new byte[32]));
        assertRejected(INVALID_KEY, () -> PrivateKey.of(Bytes.leftPad(N, 32)));
        assertRejected(INVALID_KEY, () -> PrivateKey.of(Bytes.leftPad(N.add(BigInteger.ONE), 32)));
        assertThat(PrivateKey.of(Bytes.leftPad(N.subtract(BigInteger.ONE), 32)).address()).isNotNull();
    }

    @Example
    void keysOfWrongLengthOrNotHexAreRejected() {
        assertRejected(INVALID_KEY, () -> PrivateKey.of(new byte[31]));
        assertRejected(INVALID_KEY, () -> PrivateKey.of(new byte[33]));
        assertRejected(INVALID_KEY, () -> PrivateKey.fromHex(KEY_HEX.substring(2)));
        assertRejected(INVALID_KEY, () -> PrivateKey.fromHex("zz" + KEY_HEX.substring(2)));
    }

    @Example
    void rejectionNeverEchoesTheKeyText() {
        String almostKey = KEY_HEX.substring(0, 63) + "g";

        assertRejected(INVALID_KEY, () -> PrivateKey.fromHex(almostKey)).doesNotContain(almostKey.substring(0, 16));
    }

    @Property
    void toStringNeverRevealsKeyMaterial(@ForAll PrivateKey key) {
        String hex = HexFormat.of().formatHex(key.bytes());

        assertThat(key.toString())
                .isEqualTo("PrivateKey[address=" + key.address() + "]")
                .doesNotContainIgnoringCase(hex.substring(0, 16))
                .doesNotContainIgnoringCase(hex.substring(48));
    }

    @Example
    void randomKeysAreValidAndDistinct() {
        SecureRandom random = new SecureRandom();
        PrivateKey first = PrivateKey.random(random);
        PrivateKey second = PrivateKey.random(random);

        assertThat(first).isNotEqualTo(second);
        assertThat(PrivateKey.of(first.bytes())).isEqualTo(first).hasSameHashCodeAs(first);
    }

    @Example
    void bytesAreACopy() {
        PrivateKey key = PrivateKey.fromHex(KEY_HEX);
        byte[] bytes = key.bytes();
        bytes[0] ^= 1;

        assertThat(key.bytes()).isEqualTo(HexFormat.of().parseHex(KEY_HEX));
    }
}
