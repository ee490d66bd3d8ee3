package io.turnpike.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.testing.TurnpikeArbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;
import org.web3j.crypto.Keys;

@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class AddressTest {

    /** The mixed-case test vectors listed in EIP-55. */
    private static final String[] EIP55_VECTORS = {
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };

    @Example
    void eip55VectorsPrintAndParseWithTheirChecksum() {
        for (String vector : EIP55_VECTORS) {
            assertThat(Address.of(vector.toLowerCase()).toString()).isEqualTo(vector);
            assertThat(Address.of(vector).toLowerHex()).isEqualTo(vector.toLowerCase());
        }
    }

    @Example
    void mistypedChecksumIsRejected() {
        for (String vector : EIP55_VECTORS) {
            String oneLetterCaseFlipped = flipCaseOfFirstLetter(vector);
            assertThatThrownBy(() -> Address.of(oneLetterCaseFlipped))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("checksum");
        }
    }

    @Example
    void singleCaseAddressesCarryNoChecksumAndAreAccepted() {
        String vector = EIP55_VECTORS[0];

        assertThat(Address.of(vector.toLowerCase())).isEqualTo(Address.of(vector));
        assertThat(Address.of("0x" + vector.substring(2).toUpperCase())).isEqualTo(Address.of(vector));
    }

    @Property
    void checksumFormMatchesWeb3j(@ForAll Address address) {
        assertThat(address.toString()).isEqualTo(Keys.toChecksumAddress(address.toLowerHex()));
        assertThat(Address.of(address.toString())).isEqualTo(address);
    }

    private static String flipCaseOfFirstLetter(String hex) {
        for (int i = 2; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (Character.isLetter(c)) {
                char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
                return hex.substring(0, i) + flipped + hex.substring(i + 1);
            }
        }
        throw new IllegalArgumentException("no letter in " + hex);
    }
}
