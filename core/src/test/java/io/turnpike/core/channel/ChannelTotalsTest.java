package io.turnpike.core.channel;

import static io.turnpike.core.ErrorCode.AMOUNT_OUT_OF_RANGE;
import static io.turnpike.core.testing.Rejections.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.testing.TurnpikeArbitraries;
import java.math.BigInteger;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.domains.Domain;
import net.jqwik.api.domains.DomainContext;

/** Settlement pays out exactly what the channel holds, whatever the proofs claim. */
@Domain(TurnpikeArbitraries.class)
@Domain(DomainContext.Global.class)
class ChannelTotalsTest {

    @Property
    void payoutsAddUpToWhatTheChannelHolds(@ForAll ChannelTotals totals) {
        Payouts payouts = totals.payouts();

        assertThat(payouts.a().plus(payouts.b())).isEqualTo(totals.held());
    }

    @Property
    void payoutsAreNeverNegativeNorAboveWhatIsHeld(@ForAll ChannelTotals totals) {
        Payouts payouts = totals.payouts();

        assertThat(payouts.a().value().signum()).isNotNegative();
        assertThat(payouts.b().value().signum()).isNotNegative();
        assertThat(payouts.a()).isLessThanOrEqualTo(totals.held());
    }

    @Property
    void honestTotalsPayEachSideExactlyItsBalance(@ForAll ChannelTotals totals) {
        BigInteger balanceA = totals.depositA().value().subtract(totals.withdrawnA().value())
                .add(totals.transferredB().value()).subtract(totals.transferredA().value());
        BigInteger balanceB = totals.depositB().value().subtract(totals.withdrawnB().value())
                .add(totals.transferredA().value()).subtract(totals.transferredB().value());
        Assume.that(balanceA.signum() >= 0 && balanceB.signum() >= 0);

        assertThat(totals.payouts()).isEqualTo(new Payouts(Amount.of(balanceA), Amount.of(balanceB)));
    }

    @Example
    void paymentsBothWaysNetOut() {
        // A deposited 100, B 50; A paid B 30 in total, B paid A 10.
        ChannelTotals totals = totals(100, 0, 30, 50, 0, 10);

        assertThat(totals.held()).isEqualTo(Amount.of(150));
        assertThat(totals.payouts()).isEqualTo(payouts(80, 70));
    }

    @Example
    void withdrawalsAreSubtractedFromTheWithdrawer() {
        // A deposited 100 and withdrew 20, then paid B 50.
        ChannelTotals totals = totals(100, 20, 50, 0, 0, 0);

        assertThat(totals.payouts()).isEqualTo(payouts(30, 50));
    }

    @Example
    void proofClaimingMoreThanTheSenderHadGivesThePartnerEverything() {
        // A's proof says it paid 500 but it only ever deposited 100: B gets all 100, A gets 0.
        assertThat(totals(100, 0, 500, 0, 0, 0).payouts()).isEqualTo(payouts(0, 100));
    }

    @Example
    void partnerOverpaymentIsCappedAtWhatTheChannelHolds() {
        // B claims to have paid A 100 from a 10 deposit: A gets all 20 held, never more.
        assertThat(totals(10, 0, 0, 10, 0, 100).payouts()).isEqualTo(payouts(20, 0));
    }

    @Example
    void withdrawalsBeyondDepositsAreInconsistentTotals() {
        ChannelTotals impossible = totals(10, 30, 0, 10, 0, 0);

        assertRejected(AMOUNT_OUT_OF_RANGE, impossible::held).contains("re-read them from the chain");
        assertRejected(AMOUNT_OUT_OF_RANGE, impossible::payouts);
    }

    private static ChannelTotals totals(
            long depositA, long withdrawnA, long transferredA, long depositB, long withdrawnB, long transferredB) {
        return new ChannelTotals(
                Amount.of(depositA), Amount.of(withdrawnA), Amount.of(transferredA),
                Amount.of(depositB), Amount.of(withdrawnB), Amount.of(transferredB));
    }

    private static Payouts payouts(long a, long b) {
        return new Payouts(Amount.of(a), Amount.of(b));
    }
}
