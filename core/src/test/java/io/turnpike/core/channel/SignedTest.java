package io.turnpike.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.testing.TurnpikeArbitraries;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

/** A signed message counts only for its signer, in the domain, channel and message type it was made for. */
@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class SignedTest {

    private static final PrivateKey ALICE = PrivateKey.fromHex("0x" + "a1".repeat(32));
    private static final PrivateKey BOB = PrivateKey.fromHex("0x" + "b2".repeat(32));
    private static final Address CONTRACT = Address.of("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
    private static final Eip712Domain MAINNET = Eip712Domain.turnpike(1, CONTRACT);

    @Property
    void signerOfASignedMessageIsTheKeysAddress(
            @ForAll TypedMessage message, @ForAll Eip712Domain domain, @ForAll PrivateKey key) {
        Signed<TypedMessage> signed = Signed.sign(message, domain, key);

        assertThat(signed.signer(domain)).isEqualTo(key.address());
        assertThat(signed.isSignedBy(key.address(), domain)).isTrue();
    }

    @Example
    void messageSignedByAnotherKeyIsNotSignedByTheExpectedParticipant() {
        Signed<BalanceProof> byBob = Signed.sign(new BalanceProof(1, 1, Amount.of(10)), MAINNET, BOB);

        assertThat(byBob.isSignedBy(ALICE.address(), MAINNET)).isFalse();
        assertThat(byBob.signer(MAINNET)).isEqualTo(BOB.address());
    }

    @Example
    void signatureMadeForOneChainDoesNotCountOnAnother() {
        Signed<BalanceProof> onMainnet = Signed.sign(new BalanceProof(1, 1, Amount.of(10)), MAINNET, ALICE);

        assertThat(onMainnet.isSignedBy(ALICE.address(), Eip712Domain.turnpike(10, CONTRACT))).isFalse();
    }

    @Example
    void signatureMadeForOneContractDoesNotCountForAnother() {
        Signed<BalanceProof> signed = Signed.sign(new BalanceProof(1, 1, Amount.of(10)), MAINNET, ALICE);
        Eip712Domain otherContract = Eip712Domain.turnpike(1, Address.of("0x" + "22".repeat(20)));

        assertThat(signed.isSignedBy(ALICE.address(), otherContract)).isFalse();
    }

    @Example
    void signatureOnAProofDoesNotCountForAnotherChannelOrAnotherMessageType() {
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(1, 5, Amount.of(10)), MAINNET, ALICE);

        Signed<BalanceProof> otherChannel = new Signed<>(new BalanceProof(2, 5, Amount.of(10)), proof.signature());
        Signed<CooperativeSettle> asSettlement =
                new Signed<>(new CooperativeSettle(1, Amount.of(5), Amount.of(10)), proof.signature());

        assertThat(otherChannel.isSignedBy(ALICE.address(), MAINNET)).isFalse();
        assertThat(asSettlement.isSignedBy(ALICE.address(), MAINNET)).isFalse();
    }

    @Example
    void raisingTheAmountOfASignedProofBreaksTheSignature() {
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(1, 5, Amount.of(10)), MAINNET, ALICE);
        Signed<BalanceProof> forged = new Signed<>(new BalanceProof(1, 5, Amount.of(11)), proof.signature());

        assertThat(forged.isSignedBy(ALICE.address(), MAINNET)).isFalse();
    }
}
