package io.turnpike.chain;

import static io.turnpike.chain.ChannelFixture.ether;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelEvent.ChannelSettled;
import io.turnpike.chain.ChannelsContract.Status;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.ChannelTotals;
import io.turnpike.core.channel.Payouts;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Whole channel lifecycles on a real anvil, for ether and for an ERC-20, with payouts exact to the wei. */
@ExtendWith(AnvilExtension.class)
class ChannelLifecycleTest {

    private static final Amount ALICE_DEPOSIT = ether(10);
    private static final Amount BOB_DEPOSIT = ether(5);

    @Test
    void etherChannelStreamsProofsAndSettlesCooperatively(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        assertCooperativeSettlePaysExactly(f, id, f.chain::balance);
    }

    @Test
    void tokenChannelStreamsProofsAndSettlesCooperatively(ChannelFixture f) {
        long id = f.openToken(ALICE_DEPOSIT, BOB_DEPOSIT);
        assertCooperativeSettlePaysExactly(f, id, f.token::balanceOf);
    }

    @Test
    void etherChannelClosedWithStaleProofIsSettledOnTheNewestAfterUpdate(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        assertCloseUpdateSettlePaysExactly(f, id, f.chain::balance);
    }

    @Test
    void tokenChannelClosedWithStaleProofIsSettledOnTheNewestAfterUpdate(ChannelFixture f) {
        long id = f.openToken(ALICE_DEPOSIT, BOB_DEPOSIT);
        assertCloseUpdateSettlePaysExactly(f, id, f.token::balanceOf);
    }

    @Test
    void withdrawSignedByBothPaysOutAndCountsAtSettlement(ChannelFixture f) {
        long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
        Amount withdraw = ether(2);
        long expiry = f.chainTime() + 600;
        Amount aliceBefore = f.alice.balance();

        f.channels.setTotalWithdraw(f.outsider, id, f.alice.address(), withdraw, expiry,
                f.withdrawSignature(f.aliceKey, id, f.alice.address(), withdraw, expiry),
                f.withdrawSignature(f.bobKey, id, f.alice.address(), withdraw, expiry));

        assertThat(f.alice.balance()).isEqualTo(aliceBefore.plus(withdraw));
        assertThat(f.channels.held(id)).isEqualTo(ALICE_DEPOSIT.plus(BOB_DEPOSIT).minus(withdraw));
        assertThat(f.channels.participant(id, f.alice.address()).withdrawn()).isEqualTo(withdraw);

        // Bob paid Alice 1 ether; Alice's payout is her deposit minus what she withdrew plus that.
        Amount bobPaid = ether(1);
        f.channels.close(f.alice, id, 3, bobPaid, f.proof(f.bobKey, id, 3, bobPaid));
        f.passChallengePeriod();
        Amount aliceBeforeSettle = f.alice.balance();
        f.channels.settle(f.outsider, id);
        assertThat(f.alice.balance()).isEqualTo(aliceBeforeSettle.plus(ether(9)));
    }

    @Test
    void tokenWithdrawPaysOutTokens(ChannelFixture f) {
        long id = f.openToken(ALICE_DEPOSIT, BOB_DEPOSIT);
        Amount withdraw = Amount.of(123_456_789);
        long expiry = f.chainTime() + 600;
        Amount bobBefore = f.token.balanceOf(f.bob.address());
        f.channels.setTotalWithdraw(f.outsider, id, f.bob.address(), withdraw, expiry,
                f.withdrawSignature(f.aliceKey, id, f.bob.address(), withdraw, expiry),
                f.withdrawSignature(f.bobKey, id, f.bob.address(), withdraw, expiry));
        assertThat(f.token.balanceOf(f.bob.address())).isEqualTo(bobBefore.plus(withdraw));
    }

    private static void assertCooperativeSettlePaysExactly(ChannelFixture f, long id, Function<Address, Amount> balance) {
        // 1,000 payments each way would only repeat the same signature; what counts is the newest proof.
        Amount aliceSent = Amount.ZERO;
        for (int nonce = 1; nonce <= 50; nonce++) {
            aliceSent = aliceSent.plus(Amount.of(61_803_398_874_989L * nonce));
            f.proof(f.aliceKey, id, nonce, aliceSent);
        }
        Amount bobSent = Amount.of(271_828_182_845L);
        Payouts payouts = new ChannelTotals(ALICE_DEPOSIT, Amount.ZERO, aliceSent, BOB_DEPOSIT, Amount.ZERO, bobSent)
                .payouts();
        Amount aliceBefore = balance.apply(f.alice.address());
        Amount bobBefore = balance.apply(f.bob.address());
        Amount contractBefore = balance.apply(f.channels.address());

        TxReceipt receipt = f.channels.cooperativeSettle(f.outsider, id, payouts.a(), payouts.b(),
                f.settleSignature(f.aliceKey, id, payouts.a(), payouts.b()),
                f.settleSignature(f.bobKey, id, payouts.a(), payouts.b()));

        assertThat(payouts.a()).isEqualTo(ALICE_DEPOSIT.minus(aliceSent).plus(bobSent));
        assertThat(balance.apply(f.alice.address())).isEqualTo(aliceBefore.plus(payouts.a()));
        assertThat(balance.apply(f.bob.address())).isEqualTo(bobBefore.plus(payouts.b()));
        assertThat(balance.apply(f.channels.address()))
                .isEqualTo(contractBefore.minus(ALICE_DEPOSIT).minus(BOB_DEPOSIT));
        assertThat(f.channels.channel(id).status()).isEqualTo(Status.SETTLED);
        assertThat(f.channels.events(receipt))
                .containsExactly(new ChannelSettled(id, payouts.a(), payouts.b(), Address.ZERO, Amount.ZERO));
    }

    private static void assertCloseUpdateSettlePaysExactly(ChannelFixture f, long id, Function<Address, Amount> balance) {
        Amount bobSent = ether(1);
        Amount aliceStale = ether(2);
        Amount aliceNewest = ether(7);
        // Alice closes crediting Bob's payments to her; she "forgets" her own later payments to Bob.
        f.channels.close(f.alice, id, 4, bobSent, f.proof(f.bobKey, id, 4, bobSent));
        assertThat(f.channels.channel(id).status()).isEqualTo(Status.CLOSED);
        f.proof(f.aliceKey, id, 2, aliceStale); // an older proof Bob also holds, superseded below

        TxReceipt update = f.channels.updateNonClosingProof(f.bob, id, 9, aliceNewest,
                f.proof(f.aliceKey, id, 9, aliceNewest), Amount.ZERO, new byte[0]);
        assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(9);

        f.passChallengePeriod();
        Amount aliceBefore = balance.apply(f.alice.address());
        Amount bobBefore = balance.apply(f.bob.address());
        f.channels.settle(f.outsider, id);

        Payouts expected = new ChannelTotals(ALICE_DEPOSIT, Amount.ZERO, aliceNewest, BOB_DEPOSIT, Amount.ZERO, bobSent)
                .payouts();
        assertThat(expected.a()).isEqualTo(ether(4));
        assertThat(expected.b()).isEqualTo(ether(11));
        assertThat(balance.apply(f.alice.address())).isEqualTo(aliceBefore.plus(expected.a()));
        assertThat(balance.apply(f.bob.address())).isEqualTo(bobBefore.plus(expected.b()));
        assertThat(update.gasUsed()).isPositive();
    }
}
