package io.turnpike.core.channel;

import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.channel.Channel.Credited;
import io.turnpike.core.channel.Channel.SendProof;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ChannelTest {

    static final PrivateKey ALICE = PrivateKey.fromHex("0x" + "11".repeat(32));
    static final PrivateKey BOB = PrivateKey.fromHex("0x" + "22".repeat(32));
    private static final PrivateKey MALLORY = PrivateKey.fromHex("0x" + "33".repeat(32));
    static final Eip712Domain DOMAIN = Eip712Domain.turnpike(31337, Address.of("0x" + "ab".repeat(20)));
    static final long ID = 7;

    /** Alice opened the channel with 1000 and pays; Bob put in 500. */
    static Channel aliceView() {
        return Channel.opened(DOMAIN, ID, ALICE.address(), BOB.address(), Address.ZERO, Role.A, 60,
                new ChannelSide(Amount.of(1000), Amount.ZERO), new ChannelSide(Amount.of(500), Amount.ZERO));
    }

    static Channel bobView() {
        return Channel.opened(DOMAIN, ID, BOB.address(), ALICE.address(), Address.ZERO, Role.B, 60,
                new ChannelSide(Amount.of(500), Amount.ZERO), new ChannelSide(Amount.of(1000), Amount.ZERO));
    }

    /** Pays and returns the proof sent. */
    record Paid(Channel channel, Signed<BalanceProof> proof) {
    }

    static Paid pay(Channel payer, long amount, PrivateKey key) {
        Channel.Transition t = payer.transition(new Channel.Pay(Amount.of(amount), key));
        return new Paid(t.channel(), ((SendProof) t.effects().getFirst()).proof());
    }

    record Received(Channel channel, Amount credited) {
    }

    static Received receive(Channel receiver, Signed<BalanceProof> proof) {
        Channel.Transition t = receiver.transition(new Channel.ReceiveProof(proof));
        return new Received(t.channel(), ((Credited) t.effects().getFirst()).credited());
    }

    @Test
    void paymentsAreCumulativeAndTheReceiverCreditsOnlyTheIncrease() {
        Paid first = pay(aliceView(), 100, ALICE);
        Paid second = pay(first.channel(), 30, ALICE);
        assertThat(second.proof().message()).isEqualTo(new BalanceProof(ID, 2, Amount.of(130)));

        Received r1 = receive(bobView(), first.proof());
        Received r2 = receive(r1.channel(), second.proof());
        assertThat(r1.credited()).isEqualTo(Amount.of(100));
        assertThat(r2.credited()).isEqualTo(Amount.of(30));
        assertThat(r2.channel().receivedTotal()).isEqualTo(Amount.of(130));
        assertThat(r2.channel().spendable()).isEqualTo(Amount.of(630));
        assertThat(second.channel().spendable()).isEqualTo(Amount.of(870));
    }

    @Test
    void aLostProofCostsNothingBecauseTheNextOneSupersedesIt() {
        Paid lost = pay(aliceView(), 10, ALICE);
        Paid next = pay(lost.channel(), 5, ALICE);
        assertThat(receive(bobView(), next.proof()).credited()).isEqualTo(Amount.of(15));
    }

    @Test
    void replayedDuplicatedAndReorderedProofsAreRefusedWithoutChange() {
        Paid first = pay(aliceView(), 10, ALICE);
        Paid second = pay(first.channel(), 10, ALICE);
        Channel bob = receive(bobView(), second.proof()).channel();

        assertRejected(ErrorCode.STALE_PROOF, () -> receive(bob, second.proof()));
        assertRejected(ErrorCode.STALE_PROOF, () -> receive(bob, first.proof())).contains("nothing changed");
        assertThat(bob.receivedTotal()).isEqualTo(Amount.of(20));
    }

    @Test
    void forgedProofsAreRefused() {
        Signed<BalanceProof> forged = Signed.sign(new BalanceProof(ID, 1, Amount.of(10)), DOMAIN, MALLORY);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> receive(bobView(), forged));
        Signed<BalanceProof> otherDomain = Signed.sign(new BalanceProof(ID, 1, Amount.of(10)),
                Eip712Domain.turnpike(1, DOMAIN.verifyingContract()), ALICE);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> receive(bobView(), otherDomain));
    }

    @Test
    void proofsForAnotherChannelAreRefused() {
        Signed<BalanceProof> proof = Signed.sign(new BalanceProof(ID + 1, 1, Amount.of(10)), DOMAIN, ALICE);
        assertRejected(ErrorCode.UNKNOWN_CHANNEL, () -> receive(bobView(), proof));
    }

    @Test
    void aProofWhoseTotalShrinksIsRefused() {
        Channel bob = receive(bobView(), Signed.sign(new BalanceProof(ID, 3, Amount.of(50)), DOMAIN, ALICE))
                .channel();
        Signed<BalanceProof> shrinking = Signed.sign(new BalanceProof(ID, 4, Amount.of(40)), DOMAIN, ALICE);
        assertRejected(ErrorCode.TRANSFER_DECREASED, () -> receive(bob, shrinking));
    }

    @Test
    void aProofBeyondWhatThePayerCanCoverIsRefused() {
        Signed<BalanceProof> tooMuch = Signed.sign(new BalanceProof(ID, 1, Amount.of(1001)), DOMAIN, ALICE);
        assertRejected(ErrorCode.INSUFFICIENT_CAPACITY, () -> receive(bobView(), tooMuch));
        Signed<BalanceProof> overflow = Signed.sign(new BalanceProof(ID, 1, Amount.of(Amount.MAX_UINT256)), DOMAIN,
                ALICE);
        assertRejected(ErrorCode.INSUFFICIENT_CAPACITY, () -> receive(bobView(), overflow));
    }

    @Test
    void payingMoreThanIsSpendableIsRefused() {
        assertRejected(ErrorCode.INSUFFICIENT_FUNDS, () -> pay(aliceView(), 1001, ALICE));
    }

    @Test
    void noProofIsSignedOrAcceptedOnAChannelThatIsNotOpen() {
        Paid paid = pay(aliceView(), 10, ALICE);
        Channel bob = receive(bobView(), paid.proof()).channel();
        Channel closing = bob.transition(new Channel.ProposeSettle(BOB)).channel();
        Channel closed = bob.transition(new Channel.ClosedOnChain(ALICE.address(), 1, Amount.of(10),
                Instant.ofEpochSecond(1000))).channel();
        Channel settled = closed.transition(new Channel.SettledOnChain()).channel();
        Signed<BalanceProof> next = pay(paid.channel(), 1, ALICE).proof();
        for (Channel notOpen : List.of(closing, closed, settled)) {
            assertRejected(ErrorCode.CHANNEL_NOT_OPEN, () -> notOpen.transition(new Channel.ReceiveProof(next)));
            assertRejected(ErrorCode.CHANNEL_NOT_OPEN, () -> notOpen.transition(new Channel.Pay(Amount.of(1), BOB)));
        }
        assertThat(closing.status()).isEqualTo(ChannelStatus.CLOSING);
        assertThat(settled.status()).isEqualTo(ChannelStatus.SETTLED);
    }

    @Test
    void aCooperativeSettleFreezesBothSidesAndPaysWhatTheirBooksSay() {
        Paid paid = pay(aliceView(), 120, ALICE);
        Channel bob = receive(bobView(), paid.proof()).channel();

        Channel.Transition proposed = paid.channel().transition(new Channel.ProposeSettle(ALICE));
        var proposal = ((Channel.SendSettleProposal) proposed.effects().getFirst()).proposal();
        Channel.Transition cosigned = bob.transition(new Channel.SettleProposed(proposal, BOB));
        var signature = ((Channel.SendSettleSignature) cosigned.effects().getFirst()).signature();
        Channel.Transition submitted = proposed.channel().transition(new Channel.SettleSigned(signature, ALICE));

        var settle = (Channel.SubmitCooperativeSettle) submitted.effects().getFirst();
        assertThat(settle.settlement()).isEqualTo(new CooperativeSettle(ID, Amount.of(880), Amount.of(620)));
        assertThat(settle.signatureB()).isEqualTo(signature.signature());
        assertThat(proposed.channel().status()).isEqualTo(ChannelStatus.CLOSING);
        assertThat(cosigned.channel().status()).isEqualTo(ChannelStatus.CLOSING);
        assertThat(cosigned.channel().earned()).isEqualTo(proposed.channel().paid()).isEqualTo(Amount.of(120));
    }

    @Test
    void aProposalThatDisagreesWithThisNodesViewIsRefusedAndTheChannelStaysOpen() {
        Paid inFlight = pay(aliceView(), 50, ALICE); // never delivered to Bob
        var proposal = ((Channel.SendSettleProposal) inFlight.channel().transition(new Channel.ProposeSettle(ALICE))
                .effects().getFirst()).proposal();
        assertRejected(ErrorCode.SETTLEMENT_MISMATCH, () -> bobView().transition(new Channel.SettleProposed(proposal, BOB)));
        var forged = Signed.sign(bobView().settlement(), DOMAIN, MALLORY);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> bobView().transition(new Channel.SettleProposed(forged, BOB)));
    }

    @Test
    void aPartnerClosingWithAStaleProofIsAnsweredWithTheNewestAndTheBooksFollowTheChain() {
        Paid first = pay(aliceView(), 10, ALICE);
        Paid second = pay(first.channel(), 20, ALICE);
        Channel bob = receive(receive(bobView(), first.proof()).channel(), second.proof()).channel();

        // Alice closes crediting nothing she received; Bob holds her nonce 2.
        Channel.Transition answered = bob.transition(new Channel.ClosedOnChain(ALICE.address(), 0, Amount.ZERO,
                Instant.ofEpochSecond(1000)));
        assertThat(answered.effects()).containsExactly(new Channel.SubmitProofUpdate(second.proof()));
        Channel updated = answered.channel().transition(new Channel.ProofUpdatedOnChain(ALICE.address(), 2,
                Amount.of(30))).channel();
        assertThat(updated.earned()).isEqualTo(Amount.of(30));

        // Alice's books: the chain takes what Bob put there.
        Channel alice = second.channel().transition(new Channel.ClosedOnChain(ALICE.address(), 0, Amount.ZERO,
                Instant.ofEpochSecond(1000))).channel();
        assertThat(alice.paid()).isEqualTo(Amount.ZERO);
        alice = alice.transition(new Channel.ProofUpdatedOnChain(ALICE.address(), 2, Amount.of(30))).channel();
        assertThat(alice.paid()).isEqualTo(updated.earned());
        assertThat(alice.transition(new Channel.ChainTime(Instant.ofEpochSecond(1000))).effects()).isEmpty();
        assertThat(alice.transition(new Channel.ChainTime(Instant.ofEpochSecond(1001))).effects())
                .containsExactly(new Channel.SubmitSettle());
    }

    @Test
    void theCloserSettlesWhenThePeriodEndsAndTheOtherSideOnlyAfterTheGraceIfTheCloserHasNot() {
        Paid paid = pay(aliceView(), 10, ALICE);
        Instant periodEnds = Instant.ofEpochSecond(1000);
        Channel.ClosedOnChain byAlice = new Channel.ClosedOnChain(ALICE.address(), 0, Amount.ZERO, periodEnds);
        Channel alice = paid.channel().transition(byAlice).channel();
        Channel.Transition answered = receive(bobView(), paid.proof()).channel().transition(byAlice);
        assertThat(answered.effects()).containsExactly(new Channel.SubmitProofUpdate(paid.proof()));
        Channel bob = answered.channel();
        Instant graceEnds = periodEnds.plus(Channel.SETTLE_GRACE);

        assertThat(alice.transition(new Channel.ChainTime(periodEnds.plusSeconds(1))).effects())
                .containsExactly(new Channel.SubmitSettle());
        assertThat(bob.transition(new Channel.ChainTime(periodEnds.plusSeconds(1))).effects())
                .as("past the period the chain takes no update, and settling is the closer's turn").isEmpty();
        assertThat(bob.transition(new Channel.ChainTime(graceEnds)).effects()).isEmpty();
        assertThat(bob.transition(new Channel.ChainTime(graceEnds.plusSeconds(1))).effects())
                .as("the closer has not settled").containsExactly(new Channel.SubmitSettle());
    }

    /** Both views agree and no value is created or lost, whatever the payments in both directions. */
    @Property(tries = 50)
    void bothViewsAgreeAndTheChannelConservesValue(
            @ForAll @Size(max = 30) List<@IntRange(min = -200, max = 200) Integer> payments) {
        Channel alice = aliceView();
        Channel bob = bobView();
        for (int p : payments) {
            boolean aliceToBob = p >= 0;
            Amount amount = Amount.of(Math.abs(p));
            Channel payer = aliceToBob ? alice : bob;
            if (amount.isZero() || amount.isGreaterThan(payer.spendable())) {
                continue;
            }
            Paid payment = pay(payer, amount.value().longValueExact(), aliceToBob ? ALICE : BOB);
            Received receipt = receive(aliceToBob ? bob : alice, payment.proof());
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
