package io.turnpike.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.http.JsonObjectReader;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ApiJsonTest {

    @Property
    void everyAmountSurvivesTheApisJsonExactlyAndIsShownAsItsExactFigure(@ForAll("amounts") Amount amount,
            @ForAll @IntRange(min = 0, max = 30) int decimals) {
        Asset asset = new Asset("TOK", Address.of("0x5FbDB2315678afecb367f032d93F642f64180aa3"), decimals);
        PaymentResult sent = new PaymentResult(FakeNodeControl.PROVIDER, amount, asset, 1, 1, amount, amount);

        String json = JsonObjectReader.MAPPER.writeValueAsString(ApiJson.payment(sent));
        PaymentResult read = ApiJson.readPayment(JsonObjectReader.of(JsonObjectReader.MAPPER.readTree(json)));

        assertThat(read).isEqualTo(sent);
        String formatted = JsonObjectReader.MAPPER.readTree(json).get("amount").get("formatted").stringValue();
        assertThat(Amount.parse(formatted.substring(0, formatted.length() - " TOK".length()), decimals))
                .isEqualTo(amount);
    }

    @Provide
    Arbitrary<Amount> amounts() {
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, Amount.MAX_UINT256)
                .edgeCases(edges -> edges.includeOnly(BigInteger.ZERO, BigInteger.ONE, Amount.MAX_UINT256))
                .map(Amount::of);
    }
}
