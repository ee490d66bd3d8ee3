package io.turnpike.core.accounting;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void grantsTheBurstThenExactlyTheRate() {
        TokenBucket bucket = new TokenBucket(125_000, 16_384, 0);
        assertThat(bucket.take(100_000, 0)).isEqualTo(16_384);
        assertThat(bucket.take(100_000, 0)).isZero();
        assertThat(bucket.take(100_000, SECOND / 10)).isEqualTo(12_500);
        assertThat(bucket.nanosUntil(1_000, SECOND / 10)).isEqualTo(8_000_000);
    }

    @Test
    void aZeroRateCutsTheStreamOffAfterTheBurst() {
        TokenBucket bucket = new TokenBucket(0, 10, 0);
        assertThat(bucket.take(50, 0)).isEqualTo(10);
        assertThat(bucket.take(50, 100 * SECOND)).isZero();
        assertThat(bucket.nanosUntil(1, 100 * SECOND)).isEqualTo(-1);
    }

    @Test
    void aRateChangeAppliesFromThatMomentOn() {
        TokenBucket bucket = new TokenBucket(1_000, 10_000_000, 0);
        bucket.take(10_000_000, 0);
        bucket.setRate(1_000_000, SECOND);
        assertThat(bucket.take(10_000_000, 2 * SECOND)).isEqualTo(1_000 + 1_000_000);
    }

    @Test
    void tokensGivenBackCanBeTakenAgainButNeverOverfillTheBucket() {
        TokenBucket bucket = new TokenBucket(10, 100, 0);
        assertThat(bucket.take(100, 0)).isEqualTo(100);
        bucket.giveBack(60, 0);
        assertThat(bucket.take(100, 0)).isEqualTo(60);
        bucket.giveBack(60, 0);
        bucket.giveBack(1_000, SECOND);
        assertThat(bucket.take(1_000, SECOND)).isEqualTo(100);
    }

    /** Under continuous demand, what is granted is the burst plus the rate times the time, to the token. */
    @Property(tries = 200)
    void neverLosesOrInventsAFractionOfAToken(@ForAll @LongRange(min = 1, max = 50_000_000) long rate,
                                              @ForAll @IntRange(min = 1, max = 400) int steps,
                                              @ForAll @LongRange(min = 1, max = 5_000_000) long stepNanos) {
        long capacity = 1_000_000_000; // large enough that no step overflows the bucket
        TokenBucket bucket = new TokenBucket(rate, capacity, 0);
        long granted = bucket.take(Long.MAX_VALUE, 0);
        long now = 0;
        for (int i = 0; i < steps; i++) {
            now += stepNanos;
            granted += bucket.take(Long.MAX_VALUE, now);
        }
        long ideal = capacity + java.math.BigInteger.valueOf(rate).multiply(java.math.BigInteger.valueOf(now)).divide(java.math.BigInteger.valueOf(SECOND)).longValueExact();
        assertThat(granted).isBetween(ideal - 1, ideal);
    }
}
