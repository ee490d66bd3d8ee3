package io.turnpike.node.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;

class ChannelCallTest {

    private static final Address PARTICIPANT = new Address("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    @SuppressWarnings("rawtypes")
    private static byte[] call(String function, Type... args) {
        return HexFormat.of().parseHex(FunctionEncoder.encode(new Function(function, List.of(args), List.of()))
                .substring(2));
    }

    private static Uint256 uint(long value) {
        return new Uint256(BigInteger.valueOf(value));
    }

    @Test
    void aChannelTransactionSaysWhatItDoesAndForWhichChannel() {
        assertThat(ChannelCall.of(call("setTotalDeposit", uint(42), PARTICIPANT, uint(5))))
                .contains(new ChannelCall("deposit", Optional.of(42L)));
        assertThat(ChannelCall.of(call("setTotalWithdraw", uint(7), PARTICIPANT, uint(5), uint(1_800_000_000),
                new DynamicBytes(new byte[65]), new DynamicBytes(new byte[65]))))
                .contains(new ChannelCall("withdraw", Optional.of(7L)));
        assertThat(ChannelCall.of(call("settle", uint(3)))).contains(new ChannelCall("settle", Optional.of(3L)));
        assertThat(ChannelCall.of(call("openWithDeposit", PARTICIPANT, PARTICIPANT, uint(3600), uint(5))))
                .contains(new ChannelCall("open", Optional.empty()));
    }

    @Test
    void anythingElseIsNotAChannelCall() {
        assertThat(ChannelCall.of(new byte[0])).isEmpty();
        assertThat(ChannelCall.of(call("transfer", PARTICIPANT, uint(5)))).isEmpty();
        assertThat(ChannelCall.of(HexFormat.of().parseHex(FunctionEncoder.encode(new Function("settle",
                List.of(uint(3)), List.of())).substring(2, 10)))).isEmpty();
    }
}
