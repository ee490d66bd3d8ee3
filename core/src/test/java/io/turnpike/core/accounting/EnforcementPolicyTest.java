package io.turnpike.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnforcementPolicyTest {

    private static final Amount THRESHOLD = Amount.of(1000);
    private static final Instant T0 = Instant.parse("2026-11-21T00:00:00Z");
    private static final EnforcementPolicy NO_FREE_TIER = EnforcementPolicy.withRefreshRate(Amount.ZERO);

    @Test
    void throttlesOnlyOnceUnpaidDebtExceedsAQuarterOverTheThreshold() {
        ClientDebt atLimit = NO_FREE_TIER.apply(ClientDebt.none(T0).meter(Amount.of(1250)), THRESHOLD, T0, true);
        assertThat(atLimit.throttled()).isFalse();
        assertThat(NO_FREE_TIER.apply(atLimit.meter(Amount.of(1)), THRESHOLD, T0, true).throttled()).isTrue();
    }

    @Test
    void liftsAsSoonAsTheDebtIsBackUnderTheThreshold() {
        ClientDebt throttled = NO_FREE_TIER.apply(ClientDebt.none(T0).meter(Amount.of(2000)), THRESHOLD, T0, true);
        ClientDebt paidToThreshold = NO_FREE_TIER.apply(throttled.credited(Amount.of(1000)), THRESHOLD, T0, true);
        assertThat(paidToThreshold.throttled()).isTrue();
        ClientDebt paidBelow = NO_FREE_TIER.apply(paidToThreshold.credited(Amount.of(1)), THRESHOLD, T0, true);
        assertThat(paidBelow.throttled()).isFalse();
    }

    @Test
    void aStaleChainViewStartsNoNewThrottleButStillLiftsOne() {
        ClientDebt unpaid = ClientDebt.none(T0).meter(Amount.of(5000));
        assertThat(NO_FREE_TIER.apply(unpaid, THRESHOLD, T0, false).throttled()).isFalse();
        ClientDebt throttled = NO_FREE_TIER.apply(unpaid, THRESHOLD, T0, true);
        assertThat(NO_FREE_TIER.apply(throttled.credited(Amount.of(5000)), THRESHOLD, T0, false).throttled())
                .isFalse();
    }

    @Test
    void theFreeAllowanceForgivesPerWholeSecondAndIsNeverBanked() {
        EnforcementPolicy freeTier = EnforcementPolicy.withRefreshRate(Amount.of(10));
        ClientDebt idle = freeTier.apply(ClientDebt.none(T0), THRESHOLD, T0.plusSeconds(100), true);
        assertThat(idle.forgiven()).isEqualTo(Amount.ZERO);

        ClientDebt used = freeTier.apply(idle.meter(Amount.of(35)), THRESHOLD, T0.plusMillis(102_900), true);
        assertThat(used.forgiven()).isEqualTo(Amount.of(20));
        assertThat(used.debt()).isEqualTo(Amount.of(15));
        ClientDebt later = freeTier.apply(used, THRESHOLD, T0.plusSeconds(103), true);
        assertThat(later.debt()).isEqualTo(Amount.of(5));
        assertThat(freeTier.apply(later, THRESHOLD, T0.plusSeconds(200), true).debt()).isEqualTo(Amount.ZERO);
    }

    @Test
    void paymentBeyondUseIsKeptAsCredit() {
        ClientDebt debt = ClientDebt.none(T0).meter(Amount.of(100)).credited(Amount.of(130));
        assertThat(debt.debt()).isEqualTo(Amount.ZERO);
        assertThat(debt.credit()).isEqualTo(Amount.of(30));
        assertThat(debt.meter(Amount.of(40)).debt()).isEqualTo(Amount.of(10));
    }
}
