package io.turnpike.core.channel;

import static io.turnpike.core.channel.ChannelTest.ALICE;
import static io.turnpike.core.channel.ChannelTest.BOB;
import static io.turnpike.core.channel.ChannelTest.DOMAIN;
import static io.turnpike.core.channel.ChannelTest.ID;
import static io.turnpike.core.channel.ChannelTest.aliceView;
import static io.turnpike.core.channel.ChannelTest.bobView;
import static io.turnpike.core.channel.ChannelTest.pay;
import static io.turnpike.core.channel.ChannelTest.receive;
import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A cooperative withdrawal: Alice (deposit 1000) asks, Bob (deposit 500) co-signs, the chain takes it. */
class ChannelWithdrawTest {

    private static final Instant NOW = Instant.ofEpochSecond(1_000_000);
    private static final long EXPIRY = NOW.getEpochSecond() + 300;

    private record Asked(Channel alice, Signed<Withdraw> request) {
    }

    private static Asked ask(Channel alice, long amount, long expiry) {
        Channel.Transition t = alice.transition(new Channel.RequestWithdraw(Amount.of(amount), expiry, ALICE));
        return new Asked(t.channel(), ((Channel.SendWithdrawRequest) t.effects().getFirst()).request());
    }

    private static Channel.Transition cosign(Channel bob, Signed<Withdraw> request) {
        return bob.transition(new Channel.WithdrawRequested(request, NOW, BOB));
    }

    @Test
    void bothSignTheWithdrawalAndBothCountItAsGoneBeforeTheChainShowsIt() {
        ChannelTest.Paid paid = pay(aliceView(), 100, ALICE);
        Channel bob = receive(bobView(), paid.proof()).channel();
        Asked asked = ask(paid.channel(), 600, EXPIRY);
        assertThat(asked.alice().spendable()).isEqualTo(Amount.of(300));

        Channel.Transition cosigned = cosign(bob, asked.request());
        bob = cosigned.channel();
        assertThat(bob.partnerSpendable()).isEqualTo(Amount.of(300));
        Signed<Withdraw> bobs = ((Channel.SendWithdrawSignature) cosigned.effects().getFirst()).signature();

        Channel.Transition submit = asked.alice().transition(new Channel.WithdrawSigned(bobs, ALICE));
        Channel.SubmitWithdraw both = (Channel.SubmitWithdraw) submit.effects().getFirst();
        assertThat(both.withdraw().totalWithdraw()).isEqualTo(Amount.of(600));
        assertThat(new Signed<>(both.withdraw(), both.signatureA()).isSignedBy(ALICE.address(), DOMAIN)).isTrue();
        assertThat(new Signed<>(both.withdraw(), both.signatureB()).isSignedBy(BOB.address(), DOMAIN)).isTrue();

        // Before the chain shows it, Alice cannot spend it again, and Bob would not take it.
        assertRejected(ErrorCode.INSUFFICIENT_FUNDS, () -> pay(asked.alice(), 301, ALICE));
        Channel aliceWithout = aliceView().transition(new Channel.Pay(Amount.of(100), ALICE)).channel();
        Signed<BalanceProof> overspent = pay(aliceWithout, 301, ALICE).proof();
        Channel bobBefore = bob;
        assertRejected(ErrorCode.INSUFFICIENT_CAPACITY, () -> bobBefore.transition(new Channel.ReceiveProof(overspent)));

        Channel.WithdrawnOnChain onChain = new Channel.WithdrawnOnChain(ALICE.address(), Amount.of(600));
        Channel aliceAfter = asked.alice().transition(onChain).channel();
        Channel bobAfter = bob.transition(onChain).channel();
        assertThat(aliceAfter.own()).isEqualTo(new ChannelSide(Amount.of(1000), Amount.of(600)));
        assertThat(bobAfter.partnerSide()).isEqualTo(new ChannelSide(Amount.of(1000), Amount.of(600)));
        assertThat(aliceAfter.spendable()).isEqualTo(Amount.of(300));
        assertThat(aliceAfter.settlement()).isEqualTo(bobAfter.settlement());
    }

    @Test
    void theCosignerRefusesWhatWouldLeaveThePartnerUnableToCoverWhatItPaid() {
        ChannelTest.Paid paid = pay(aliceView(), 100, ALICE);
        Channel bob = receive(bobView(), paid.proof()).channel();
        // Alice's own view would refuse it; a partner that signs it anyway is refused by Bob, who keeps no record.
        Signed<Withdraw> greedy = Signed.sign(new Withdraw(ID, ALICE.address(), Amount.of(901), EXPIRY), DOMAIN, ALICE);
        assertRejected(ErrorCode.INSUFFICIENT_FUNDS, () -> cosign(bob, greedy));
        assertRejected(ErrorCode.INSUFFICIENT_FUNDS, () -> ask(paid.channel(), 901, EXPIRY));
        assertThat(cosign(bob, Signed.sign(new Withdraw(ID, ALICE.address(), Amount.of(900), EXPIRY), DOMAIN, ALICE))
                .channel().partnerSpendable()).isEqualTo(Amount.ZERO);
    }

    @Test
    void expiredFarOffForgedAndSecondWithdrawalsAreRefusedWithoutChange() {
        Channel bob = bobView();
        Signed<Withdraw> expired = ask(aliceView(), 10, NOW.getEpochSecond()).request();
        assertRejected(ErrorCode.WITHDRAW_EXPIRY, () -> cosign(bob, expired));
        Signed<Withdraw> farOff = ask(aliceView(), 10, NOW.getEpochSecond() + 601).request();
        assertRejected(ErrorCode.WITHDRAW_EXPIRY, () -> cosign(bob, farOff));
        Signed<Withdraw> forged = Signed.sign(new Withdraw(ID, ALICE.address(), Amount.of(10), EXPIRY), DOMAIN, BOB);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> cosign(bob, forged));
        Signed<Withdraw> forBob = Signed.sign(new Withdraw(ID, BOB.address(), Amount.of(10), EXPIRY), DOMAIN, ALICE);
        assertRejected(ErrorCode.WRONG_SIGNER, () -> cosign(bob, forBob));

        Asked first = ask(aliceView(), 10, EXPIRY);
        Channel bobSigned = cosign(bob, first.request()).channel();
        // The same request again is signed again (a lost answer); another one waits for the first to land or expire.
        assertThat(cosign(bobSigned, first.request()).channel()).isEqualTo(bobSigned);
        assertRejected(ErrorCode.WITHDRAW_PENDING, () -> cosign(bobSigned, ask(aliceView(), 20, EXPIRY).request()));
        assertRejected(ErrorCode.WITHDRAW_PENDING, () -> ask(first.alice(), 20, EXPIRY));
        Channel closing = aliceView().transition(new Channel.ProposeSettle(ALICE)).channel();
        assertRejected(ErrorCode.CHANNEL_NOT_OPEN, () -> ask(closing, 10, EXPIRY));
    }

    @Test
    void aTopUpSeenOnChainRaisesThatSideOnlyAndIsIdempotent() {
        Channel.DepositedOnChain topUp = new Channel.DepositedOnChain(ALICE.address(), Amount.of(1500));
        Channel bob = bobView().transition(topUp).channel();
        assertThat(bob.partnerSpendable()).isEqualTo(Amount.of(1500));
        assertThat(bob.transition(topUp).channel()).isEqualTo(bob);
        assertThat(bob.transition(new Channel.DepositedOnChain(ALICE.address(), Amount.of(1000))).channel())
                .isEqualTo(bob);
        assertThat(aliceView().transition(topUp).channel().spendable()).isEqualTo(Amount.of(1500));
    }

    @Test
    void aSignedWithdrawalStopsCountingOnlyOnceABlockPastItsExpiryShowsItDidNotLand() {
        Channel bob = cosign(bobView(), ask(aliceView(), 400, EXPIRY).request()).channel();
        ChannelSide bobOnChain = new ChannelSide(Amount.of(500), Amount.ZERO);
        ChannelSide aliceOnChain = new ChannelSide(Amount.of(1000), Amount.ZERO);
        Channel atExpiry = bob.transition(new Channel.TotalsRead(bobOnChain, aliceOnChain,
                Optional.of(Instant.ofEpochSecond(EXPIRY)))).channel();
        assertThat(atExpiry.partnerSpendable()).isEqualTo(Amount.of(600));
        Channel noTime = bob.transition(new Channel.TotalsRead(bobOnChain, aliceOnChain)).channel();
        assertThat(noTime.partnerSpendable()).isEqualTo(Amount.of(600));
        Channel past = bob.transition(new Channel.TotalsRead(bobOnChain, aliceOnChain,
                Optional.of(Instant.ofEpochSecond(EXPIRY + 1)))).channel();
        assertThat(past.partnerSpendable()).isEqualTo(Amount.of(1000));
    }
}
