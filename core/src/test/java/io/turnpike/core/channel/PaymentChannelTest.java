package io.turnpike.core.channel;

import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PaymentChannelTest {

    private static final PrivateKey ALICE = PrivateKey.fromHex("0x" + "11".repeat(32));
    private static final PrivateKey BOB = PrivateKey.fromHex("0x" + "22".repeat(32));
    private static final PrivateKey MALLORY = PrivateKey.fromHex("0x" + "33".repeat(32));
    private static final Eip712Domain DOMAIN = Eip712Domain.turnpike(31337, Address.of("0x" + "ab".repeat(20)));
    private static final long ID = 7;

    private static PaymentChannel aliceView() {
        return PaymentChannel.opened(ID, DOMAIN, ALICE.address(), BOB.address(), Amount.of(1000), Amount.of(500));
    }

    private static PaymentChannel bobView() {
        return PaymentChannel.opened(ID, DOMAIN, BOB.address(), ALICE.address(), Amount.of(500), Amount.of(1000));
    }

    @Test
    void paymentsAreCumulativeAndTheReceiverCreditsOnlyTheIncrease() {
        PaymentChannel.Payment first = aliceView().pay(Amount.of(100), ALICE);
        PaymentChannel.Payment second = first.channel().pay(Amount.of(30), ALICE);
        assertThat(second.proof().message()).isEqualTo(new BalanceProof(ID, 2, Amount.of(130)));

        PaymentChannel.Receipt r1 = bobView().receive(first.proof());
        PaymentChannel.Receipt r2 = r1.channel().receive(second.proof());
        assertThat(r1.credited()).isEqualTo(Amount.of(100));
        assertThat(r2.credited()).isEqualTo(Amount.of(30));
        assertThat(r2.channel().receivedTotal()).isEqualTo(Amount.of(130));
        assertThat(r2.channel().spendable()).isEqualTo(Amount.of(630));
        assertThat(second.channel().spendable()).isEqualTo(Amount.of(870));
    }

    @Test
    void aLostProofCostsNothingBecauseTheNextOneSupersedesIt() {
        PaymentChannel.Payment lost = aliceView().pay(Amount.of(10), ALICE);
        PaymentChannel.Payment next = lost.channel().pay(Amount.of(5), ALICE);
        assertThat(bobView().receive(next.proof()).credited()).isEqualTo(Amount.of(15));
    }

    @Test
    void replayedDuplicatedAndReorderedProofsAreRefusedWithoutChange() {
        PaymentChannel.Payment first = aliceView().pay(Amount.of(10), ALICE);
        PaymentChannel.Payment second = first.channel().pay(Amount.of(10), ALICE);
        PaymentChannel bob = bobView().receive(second.proof()).channel();

        assertRejected(ErrorCode.STALE_PROOF, () -> bob.receive(second.proof()));
        assertRejected(ErrorCode.STALE_PROOF, () -> bob.receive(first.proof())).contains("nothing changed");
        assertThat(bob.receivedTotal()).isEqualTo(Amount.of(20));
    }

    @Test
    void forgedProofsAreRefused() {
        Signed<BalanceProof> forged = Signed.sign(new BalanceProof(ID, 1, Amount.of(10)), DOMAIN, MALLORY);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> bobView().receive(forged));
        Signed<BalanceProof> otherDomain = Signed.sign(new BalanceProof(ID, 1, Amount.of(10)),
                Eip712Domain.turnpike(1, DOMAIN.verifyingContract()), ALICE);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> bobView().receive(otherDomain));
    }

    @Test
    void proofsForAnotherChannelAreRefused() {
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(ID + 1, 1, Amount.of(10)), DOMAIN, ALICE);
        assertRejected(ErrorCode.UNKNOWN_CHANNEL, () -> bobView().receive(proof));
    }

    @Test
    void aProofWhoseTotalShrinksIsRefused() {
        PaymentChannel bob = bobView().receive(Signed.sign(new BalanceProof(ID, 3, Amount.of(50)), DOMAIN, ALICE))
                .channel();
        Signed<BalanceProof> shrinking = Signed.sign(new BalanceProof(ID, 4, Amount.of(40)), DOMAIN, ALICE);
        assertRejected(ErrorCode.TRANSFER_DECREASED, () -> bob.receive(shrinking));
    }

    @Test
    void aProofBeyondWhatThePayerCanCoverIsRefused() {
        Signed<BalanceProof> tooMuch = Signed.sign(new BalanceProof(ID, 1, Amount.of(1001)), DOMAIN, ALICE);
        assertRejected(ErrorCode.INSUFFICIENT_CAPACITY, () -> bobView().receive(tooMuch));
        Signed<BalanceProof> overflow = Signed.sign(new BalanceProof(ID, 1, Amount.of(Amount.MAX_UINT256)), DOMAIN,
                ALICE);
        assertRejected(ErrorCode.INSUFFICIENT_CAPACITY, () -> bobView().receive(overflow));
    }

    @Test
    void payingMoreThanIsSpendableIsRefused() {
        assertRejected(ErrorCode.INSUFFICIENT_FUNDS, () -> aliceView().pay(Amount.of(1001), ALICE));
    }

    @Test
    void aClosedChannelTakesNoPayments() {
        PaymentChannel closed = bobView().withStatus(ChannelStatus.CLOSED);
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(ID, 1, Amount.of(1)), DOMAIN, ALICE);
        assertRejected(ErrorCode.CHANNEL_NOT_OPEN, () -> closed.receive(proof));
        assertRejected(ErrorCode.CHANNEL_NOT_OPEN, () -> aliceView().withStatus(ChannelStatus.SETTLED)
                .pay(Amount.of(1), ALICE));
    }

    /** Both views agree and no value is created or lost, whatever the payments in both directions. */
    @Property(tries = 50)
    void bothViewsAgreeAndTheChannelConservesValue(
            @ForAll @Size(max = 30) List<@IntRange(min = -200, max = 200) Integer> payments) {
        PaymentChannel alice = aliceView();
        PaymentChannel bob = bobView();
        for (int p : payments) {
            boolean aliceToBob = p >= 0;
            Amount amount = Amount.of(Math.abs(p));
            PaymentChannel payer = aliceToBob ? alice : bob;
            if (amount.isGreaterThan(payer.spendable())) {
                continue;
            }
            PaymentChannel.Payment payment = payer.pay(amount, aliceToBob ? ALICE : BOB);
            PaymentChannel.Receipt receipt = (aliceToBob ? bob : alice).receive(payment.proof());
            assertThat(receipt.credited()).isEqualTo(amount);
            alice = aliceToBob ? payment.channel() : receipt.channel();
            bob = aliceToBob ? receipt.channel() : payment.channel();
        }
        assertThat(alice.sentTotal()).isEqualTo(bob.receivedTotal());
        assertThat(bob.sentTotal()).isEqualTo(alice.receivedTotal());
        assertThat(alice.spendable().plus(bob.spendable())).isEqualTo(Amount.of(1500));
        assertThat(alice.partnerSpendable()).isEqualTo(bob.spendable());
    }
}
