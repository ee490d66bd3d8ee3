package io.turnpike.core.testing;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.ChannelTotals;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Handshake;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.TypedMessage;
import io.turnpike.core.channel.Withdraw;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.domains.DomainContextBase;

/**
 * Generators for core's value types, used with {@code @Domain(TurnpikeArbitraries.class)} so every
 * property test draws amounts, keys and messages the same way, edge cases included.
 */
public class TurnpikeArbitraries extends DomainContextBase {

    /** Any uint256, biased towards small values and the bounds 0 and 2^256-1. */
    public static Arbitrary<Amount> amounts() {
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, Amount.MAX_UINT256).map(Amount::of);
    }

    /** Amounts small enough that sums of a few of them stay within uint256. */
    public static Arbitrary<Amount> channelAmounts() {
        return Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.ONE.shiftLeft(128)).map(Amount::of);
    }

    public static Arbitrary<Long> channelIds() {
        return Arbitraries.longs().between(1, Long.MAX_VALUE);
    }

    public static Arbitrary<Long> nonNegativeLongs() {
        return Arbitraries.longs().between(0, Long.MAX_VALUE);
    }

    @Provide
    public Arbitrary<Amount> amount() {
        return amounts();
    }

    @Provide
    public Arbitrary<Address> address() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Address.LENGTH).map(Address::fromBytes);
    }

    /** Keys over the whole range 1..n-1, including both ends. */
    @Provide
    public Arbitrary<PrivateKey> privateKey() {
        return Arbitraries.bigIntegers()
                .between(BigInteger.ONE, Web3jOracle.CURVE_ORDER.subtract(BigInteger.ONE))
                .map(k -> PrivateKey.of(Bytes.leftPad(k, 32)));
    }

    @Provide
    public Arbitrary<Eip712Domain> domain() {
        return Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), address())
                .as(Eip712Domain::turnpike);
    }

    @Provide
    public Arbitrary<BalanceProof> balanceProof() {
        return Combinators.combine(channelIds(), nonNegativeLongs(), amounts()).as(BalanceProof::new);
    }

    @Provide
    public Arbitrary<MonitorRequest> monitorRequest() {
        return Combinators.combine(channelIds(), nonNegativeLongs(), amounts(), amounts(), address())
                .as(MonitorRequest::new);
    }

    @Provide
    public Arbitrary<Withdraw> withdraw() {
        return Combinators.combine(channelIds(), address(), amounts(), nonNegativeLongs()).as(Withdraw::new);
    }

    @Provide
    public Arbitrary<CooperativeSettle> cooperativeSettle() {
        return Combinators.combine(channelIds(), amounts(), amounts()).as(CooperativeSettle::new);
    }

    @Provide
    public Arbitrary<Bytes32> bytes32() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Bytes32.LENGTH).map(Bytes32::of);
    }

    @Provide
    public Arbitrary<Handshake> handshake() {
        return Combinators.combine(bytes32(), address(), address()).as(Handshake::new);
    }

    @Provide
    public Arbitrary<MonitorReceipt> monitorReceipt() {
        return Combinators.combine(channelIds(), nonNegativeLongs(), amounts(), address()).as(MonitorReceipt::new);
    }

    @Provide
    public Arbitrary<RestoreRequest> restoreRequest() {
        return Combinators.combine(address(), nonNegativeLongs()).as(RestoreRequest::new);
    }

    /** Any of the signed message types. */
    @Provide
    public Arbitrary<TypedMessage> typedMessage() {
        return Arbitraries.oneOf(balanceProof(), monitorRequest(), withdraw(), cooperativeSettle(), handshake(),
                monitorReceipt(), restoreRequest());
    }

    /**
     * Consistent totals as the contract can hold them: each withdrawal at most what the channel held at
     * the time, transfers unconstrained (a proof may claim more than was deposited).
     */
    @Provide
    public Arbitrary<ChannelTotals> channelTotals() {
        return Combinators.combine(
                        channelAmounts(), channelAmounts(), channelAmounts(), channelAmounts(),
                        channelAmounts(), channelAmounts())
                .as((depositA, depositB, wantA, wantB, transferredA, transferredB) -> {
                    Amount held = depositA.plus(depositB);
                    Amount withdrawnA = wantA.min(held);
                    Amount withdrawnB = wantB.min(held.minus(withdrawnA));
                    return new ChannelTotals(depositA, withdrawnA, transferredA, depositB, withdrawnB, transferredB);
                });
    }
}
