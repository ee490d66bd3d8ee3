package io.turnpike.core.crypto;

import static io.turnpike.core.ErrorCode.MALFORMED_INPUT;
import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.testing.TurnpikeArbitraries;
import java.security.SecureRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class Bytes32Test {

    @Property
    void hexRoundTripsAndIsSixtyFourLowerCaseDigits(@ForAll Bytes32 value) {
        assertThat(value.toHex()).matches("0x[0-9a-f]{64}");
        assertThat(Bytes32.fromHex(value.toHex())).isEqualTo(value);
    }

    @Example
    void anythingButThirtyTwoBytesIsRefused() {
        assertRejected(MALFORMED_INPUT, () -> Bytes32.of(new byte[31]));
        assertRejected(MALFORMED_INPUT, () -> Bytes32.fromHex("0x" + "ab".repeat(33)));
        assertRejected(MALFORMED_INPUT, () -> Bytes32.fromHex("0x" + "zz".repeat(32)));
    }

    @Example
    void randomValuesComeFromTheGivenSourceAndDiffer() {
        SecureRandom random = new SecureRandom();

        assertThat(Bytes32.random(random)).isNotEqualTo(Bytes32.random(random));
    }
}
