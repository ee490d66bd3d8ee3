package io.turnpike.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Amount;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ColumnEncodingTest {

    @Provide
    Arbitrary<BigInteger> uint256() {
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, Amount.MAX_UINT256)
                .edgeCases(edges -> edges.add(Amount.MAX_UINT256));
    }

    @Property
    void everyAmountSurvivesItsColumnExactly(@ForAll("uint256") BigInteger value) {
        Amount amount = new Amount(value);

        String column = Sql.amountColumn(amount);

        assertThat(column).hasSizeLessThanOrEqualTo(78).matches("0|[1-9][0-9]*");
        assertThat(Sql.amount(column)).isEqualTo(amount);
    }

    @Property
    void aColumnOutsideUint256IsRejected(@ForAll("uint256") BigInteger value) {
        String beyond = value.add(Amount.MAX_UINT256).add(BigInteger.ONE).toString();

        assertThatThrownBy(() -> Sql.amount(beyond)).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> Sql.amount("-" + value.add(BigInteger.ONE))).isInstanceOf(ArithmeticException.class);
    }
}
