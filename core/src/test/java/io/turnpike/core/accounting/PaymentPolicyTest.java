package io.turnpike.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PaymentPolicyTest {

    private static final PaymentPolicy POLICY = PaymentPolicy.DEFAULT;
    private static final Amount THRESHOLD = Amount.of(1000);
    private static final Instant T0 = Instant.parse("2026-11-21T00:00:00Z");

    @Test
    void paysTheWholeDebtAsSoonAsItReachesHalfTheThreshold() {
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(499));
        assertThat(POLICY.due(debt, THRESHOLD, T0.plusSeconds(1))).isEmpty();
        assertThat(POLICY.due(debt.meter(Amount.of(1)), THRESHOLD, T0.plusSeconds(1))).contains(Amount.of(500));
    }

    @Test
    void paysAnySmallDebtOnceTheIntervalHasPassed() {
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(3));
        assertThat(POLICY.due(debt, THRESHOLD, T0.plusMillis(4999))).isEmpty();
        assertThat(POLICY.due(debt, THRESHOLD, T0.plusSeconds(5))).contains(Amount.of(3));
        assertThat(POLICY.due(PayerDebt.none(T0), THRESHOLD, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void keepsOnePaymentInFlightAndPaysTheRestAfterTheAcknowledgement() {
        PayerDebt sending = PayerDebt.none(T0).meter(Amount.of(600)).sending(Amount.of(600), T0);
        PayerDebt more = sending.meter(Amount.of(700));
        assertThat(POLICY.due(more, THRESHOLD, T0.plusSeconds(10))).isEmpty();
        PayerDebt acknowledged = more.acknowledged();
        assertThat(acknowledged.paid()).isEqualTo(Amount.of(600));
        assertThat(POLICY.due(acknowledged, THRESHOLD, T0.plusSeconds(10))).contains(Amount.of(700));
        assertThat(more.unacknowledged().owed()).isEqualTo(Amount.of(1300));
    }

    @Test
    void overpaymentIsCreditNotADebtOwedBack() {
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(100)).sending(Amount.of(150), T0).acknowledged();
        assertThat(debt.owed()).isEqualTo(Amount.ZERO);
        assertThat(debt.credit()).isEqualTo(Amount.of(50));
        assertThat(debt.meter(Amount.of(70)).owed()).isEqualTo(Amount.of(20));
    }

    @Test
    void aStatementWhoseUsageIsWithinFivePercentIsPaidAsTheProviderCountsIt() {
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(1000)).sending(Amount.of(900), T0).acknowledged();
        PaymentPolicy.StatementCheck check = POLICY.check(debt, Amount.of(1050), Amount.of(150), Amount.of(10));
        assertThat(check.agreed()).isTrue();
        assertThat(check.toPay()).isEqualTo(Amount.of(150));
    }

    @Test
    void aStatementWhoseUsageIsBeyondToleranceIsReportedAndOnlyTheOwnFigurePaid() {
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(1000)).sending(Amount.of(900), T0).acknowledged();
        PaymentPolicy.StatementCheck check = POLICY.check(debt, Amount.of(1051), Amount.of(151), Amount.of(10));
        assertThat(check.agreed()).isFalse();
        assertThat(check.toPay()).isEqualTo(Amount.of(100));
    }

    @Test
    void aMomentaryDebtFromMeterTimingIsNoDiscrepancy() {
        // Just paid everything; the provider's snapshot still shows the last unpriced chunk as debt.
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(100_000)).sending(Amount.of(100_000), T0).acknowledged();
        PaymentPolicy.StatementCheck check = POLICY.check(debt, Amount.of(102_000), Amount.of(2_000), Amount.of(10));
        assertThat(check.agreed()).isTrue();
    }

    @Test
    void aDifferenceWithinHalfTheThresholdIsAgreedEvenEarlyInAStream() {
        // A node killed between two ticks lost its last metering: early on that is more than 5 % of its total.
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(1000)).sending(Amount.of(1000), T0).acknowledged();
        assertThat(POLICY.check(debt, Amount.of(1500), Amount.of(500), THRESHOLD).agreed()).isTrue();
        assertThat(POLICY.check(debt, Amount.of(1501), Amount.of(501), THRESHOLD).agreed()).isFalse();
    }

    @Test
    void aStatementIsNotPaidTwiceWhileAPaymentIsInFlight() {
        PayerDebt debt = PayerDebt.none(T0).meter(Amount.of(1000)).sending(Amount.of(1000), T0);
        assertThat(POLICY.check(debt, Amount.of(1000), Amount.of(1000), THRESHOLD).toPay()).isEqualTo(Amount.ZERO);
    }
}
