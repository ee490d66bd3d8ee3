package io.turnpike.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.testing.TurnpikeArbitraries;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

/** A sealed envelope opens only with the recipient's key, only unchanged, and shows nothing of the message. */
@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class EciesTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Property(tries = 200)
    void whatIsSealedToAKeyOpensWithThatKey(@ForAll PrivateKey recipient, @ForAll @Size(max = 2048) byte[] message) {
        byte[] envelope = Ecies.seal(PublicKey.of(recipient), message, RANDOM);

        assertThat(envelope).hasSize(message.length + Ecies.OVERHEAD);
        assertThat(Ecies.open(recipient, envelope)).isEqualTo(message);
    }

    @Property(tries = 100)
    void anotherKeyCannotOpenIt(@ForAll PrivateKey recipient, @ForAll PrivateKey other,
                                @ForAll @Size(min = 1, max = 256) byte[] message) {
        Assume.that(!recipient.equals(other));
        byte[] envelope = Ecies.seal(PublicKey.of(recipient), message, RANDOM);

        assertThatThrownBy(() -> Ecies.open(other, envelope)).isInstanceOfSatisfying(TurnpikeException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.MALFORMED_INPUT));
    }

    @Property(tries = 200)
    void anyChangedByteIsRefused(@ForAll PrivateKey recipient, @ForAll @Size(min = 1, max = 64) byte[] message,
                                 @ForAll @IntRange(min = 0, max = 10_000) int position, @ForAll byte flip) {
        byte[] envelope = Ecies.seal(PublicKey.of(recipient), message, RANDOM);
        byte[] changed = envelope.clone();
        changed[position % changed.length] ^= (byte) (flip == 0 ? 1 : flip);

        assertThatThrownBy(() -> Ecies.open(recipient, changed)).isInstanceOfSatisfying(TurnpikeException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.MALFORMED_INPUT));
    }

    @Example
    void theSameMessageSealsDifferentlyEachTimeAndTheCiphertextDoesNotHoldIt() {
        PrivateKey recipient = PrivateKey.random(RANDOM);
        byte[] message = "meet me at the usual place at noon".getBytes(StandardCharsets.UTF_8);

        byte[] first = Ecies.seal(PublicKey.of(recipient), message, RANDOM);
        byte[] second = Ecies.seal(PublicKey.of(recipient), message, RANDOM);

        assertThat(first).isNotEqualTo(second);
        assertThat(indexOf(first, Arrays.copyOf(message, 8))).isNegative();
    }

    @Example
    void aTruncatedOrForeignEnvelopeIsRefused() {
        PrivateKey recipient = PrivateKey.random(RANDOM);
        byte[] envelope = Ecies.seal(PublicKey.of(recipient), new byte[10], RANDOM);

        assertThatThrownBy(() -> Ecies.open(recipient, Arrays.copyOf(envelope, Ecies.OVERHEAD - 1)))
                .isInstanceOf(TurnpikeException.class);
        byte[] otherVersion = envelope.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> Ecies.open(recipient, otherVersion)).isInstanceOf(TurnpikeException.class);
    }

    @Example
    void aPublicKeyOffTheCurveIsRefusedAndARecoveredKeyIsTheSignersOwn() {
        PrivateKey key = PrivateKey.random(RANDOM);
        byte[] digest = Keccak256.hash("a message".getBytes(StandardCharsets.UTF_8));

        assertThat(key.sign(digest).recoverKey(digest)).isEqualTo(PublicKey.of(key));
        assertThat(PublicKey.of(key).address()).isEqualTo(key.address());
        assertThat(PublicKey.fromHex(PublicKey.of(key).toHex())).isEqualTo(PublicKey.of(key));
        byte[] offCurve = key.publicKey();
        offCurve[63] ^= 1;
        assertThatThrownBy(() -> PublicKey.of(offCurve)).isInstanceOfSatisfying(TurnpikeException.class,
                refused -> assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_KEY));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
