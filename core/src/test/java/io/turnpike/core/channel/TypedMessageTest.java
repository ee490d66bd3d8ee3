package io.turnpike.core.channel;

import static io.turnpike.core.testing.Web3jOracle.Field.address;
import static io.turnpike.core.testing.Web3jOracle.Field.bytes32;
import static io.turnpike.core.testing.Web3jOracle.Field.uint256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.testing.TurnpikeArbitraries;
import io.turnpike.core.testing.Web3jOracle;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

/** The EIP-712 digests core computes by hand agree with web3j's generic typed-data encoder. */
@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class TypedMessageTest {

    private static final Address CONTRACT = Address.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");

    @Property
    void balanceProofDigestMatchesWeb3jTypedData(@ForAll BalanceProof proof, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "BalanceProof", List.of(
                uint256("channelId", proof.channelId()),
                uint256("nonce", proof.nonce()),
                uint256("transferred", proof.transferred().value())));

        assertThat(domain.digest(proof)).isEqualTo(expected);
    }

    @Property
    void monitorRequestDigestMatchesWeb3jTypedData(@ForAll MonitorRequest request, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "MonitorRequest", List.of(
                uint256("channelId", request.channelId()),
                uint256("nonce", request.nonce()),
                uint256("transferred", request.transferred().value()),
                uint256("reward", request.reward().value()),
                address("monitor", request.monitor())));

        assertThat(domain.digest(request)).isEqualTo(expected);
    }

    @Property
    void withdrawDigestMatchesWeb3jTypedData(@ForAll Withdraw withdraw, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "Withdraw", List.of(
                uint256("channelId", withdraw.channelId()),
                address("participant", withdraw.participant()),
                uint256("totalWithdraw", withdraw.totalWithdraw().value()),
                uint256("expiry", withdraw.expiry())));

        assertThat(domain.digest(withdraw)).isEqualTo(expected);
    }

    @Property
    void cooperativeSettleDigestMatchesWeb3jTypedData(@ForAll CooperativeSettle settle, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "CooperativeSettle", List.of(
                uint256("channelId", settle.channelId()),
                uint256("payoutA", settle.payoutA().value()),
                uint256("payoutB", settle.payoutB().value())));

        assertThat(domain.digest(settle)).isEqualTo(expected);
    }

    @Property
    void handshakeDigestMatchesWeb3jTypedData(@ForAll Handshake handshake, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "Handshake", List.of(
                bytes32("challenge", handshake.challenge()),
                address("signer", handshake.signer()),
                address("peer", handshake.peer())));

        assertThat(domain.digest(handshake)).isEqualTo(expected);
    }

    @Property
    void monitorReceiptDigestMatchesWeb3jTypedData(@ForAll MonitorReceipt receipt, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "MonitorReceipt", List.of(
                uint256("channelId", receipt.channelId()),
                uint256("nonce", receipt.nonce()),
                uint256("transferred", receipt.transferred().value()),
                address("nonCloser", receipt.nonCloser())));

        assertThat(domain.digest(receipt)).isEqualTo(expected);
    }

    @Property
    void restoreRequestDigestMatchesWeb3jTypedData(@ForAll RestoreRequest request, @ForAll Eip712Domain domain) {
        byte[] expected = Web3jOracle.typedDataDigest(domain, "RestoreRequest", List.of(
                address("node", request.node()),
                uint256("timestamp", request.timestamp())));

        assertThat(domain.digest(request)).isEqualTo(expected);
    }

    @Property
    void domainSeparatorMatchesWeb3jForAnyNameAndVersion(
            @ForAll String name, @ForAll String version, @ForAll @LongRange(min = 1) long chainId,
            @ForAll Address contract) {
        Eip712Domain domain = new Eip712Domain(name, version, chainId, contract);

        assertThat(domain.separator()).isEqualTo(Web3jOracle.domainSeparator(domain));
    }

    @Example
    void turnpikeDomainIsNamedTurnpikeVersionOne() {
        Eip712Domain domain = Eip712Domain.turnpike(8453, CONTRACT);

        assertThat(domain.name()).isEqualTo("Turnpike");
        assertThat(domain.version()).isEqualTo("1");
        assertThat(domain).isEqualTo(new Eip712Domain("Turnpike", "1", 8453, CONTRACT));
    }

    @Example
    void sameFieldValuesUnderAnotherTypeNameGiveAnotherDigest() {
        Eip712Domain domain = Eip712Domain.turnpike(1, CONTRACT);
        BalanceProof proof = new BalanceProof(7, 5, Amount.of(1000));
        CooperativeSettle settle = new CooperativeSettle(7, Amount.of(5), Amount.of(1000));

        assertThat(domain.digest(proof)).isNotEqualTo(domain.digest(settle));
    }

    @Example
    void digestDependsOnChainAndContract() {
        BalanceProof proof = new BalanceProof(7, 5, Amount.of(1000));
        byte[] onMainnet = Eip712Domain.turnpike(1, CONTRACT).digest(proof);

        assertThat(Eip712Domain.turnpike(10, CONTRACT).digest(proof)).isNotEqualTo(onMainnet);
        assertThat(Eip712Domain.turnpike(1, Address.ZERO).digest(proof)).isNotEqualTo(onMainnet);
    }

    @Example
    void channelIdsStartAtOneAndCountersCannotBeNegative() {
        assertThatThrownBy(() -> new BalanceProof(0, 0, Amount.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BalanceProof(1, -1, Amount.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MonitorRequest(1, -1, Amount.ZERO, Amount.ZERO, CONTRACT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Withdraw(1, CONTRACT, Amount.ZERO, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CooperativeSettle(-3, Amount.ZERO, Amount.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MonitorReceipt(0, 1, Amount.ZERO, CONTRACT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RestoreRequest(CONTRACT, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Eip712Domain.turnpike(0, CONTRACT)).isInstanceOf(IllegalArgumentException.class);
    }
}
