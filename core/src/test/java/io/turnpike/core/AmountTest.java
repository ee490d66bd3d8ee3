package io.turnpike.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.testing.TurnpikeArbitraries;
import java.math.BigInteger;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class AmountTest {

    @Property
    void decimalFigureParsesBackToTheSameAmount(@ForAll Amount amount, @ForAll @IntRange(max = 77) int decimals) {
        assertThat(Amount.parse(amount.toDecimalString(decimals), decimals)).isEqualTo(amount);
    }

    @Example
    void figuresAreExactInWholeUnits() {
        assertThat(Amount.parse("0.0042", 18)).isEqualTo(Amount.of(4_200_000_000_000_000L));
        assertThat(Amount.of(4_200_000_000_000_000L).toDecimalString(18)).isEqualTo("0.0042");
        assertThat(Amount.parse("1", 6).toDecimalString(6)).isEqualTo("1");
        assertThat(Amount.ZERO.toDecimalString(18)).isEqualTo("0");
    }

    @Example
    void moreDecimalPlacesThanTheAssetHasIsAnErrorNotARounding() {
        assertThatThrownBy(() -> Amount.parse("0.0000001", 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("6 decimal places");
    }

    @Example
    void eachUnusableFigureIsRefusedAsWhatItIsWithoutArithmetic() {
        assertThatThrownBy(() -> Amount.parse("-1", 18)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Amount.parse("9".repeat(80), 18)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than an amount can be");
        assertThatThrownBy(() -> Amount.parse("1e10000000", 18)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a decimal figure");
        assertThatThrownBy(() -> Amount.parse("1".repeat(100_000), 18)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than any amount");
        assertThatThrownBy(() -> Amount.parse("half", 18)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a decimal figure");
        assertThat(Amount.parse("1.50", 1)).as("trailing zeros are not places").isEqualTo(Amount.of(15));
    }

    @Example
    void negativeOrAboveUint256AmountsAreArithmeticErrors() {
        assertThatThrownBy(() -> Amount.of(-1)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Amount.of(Amount.MAX_UINT256.add(BigInteger.ONE)))
                .isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Amount.of(1).minus(Amount.of(2))).isInstanceOf(ArithmeticException.class);
    }
}
