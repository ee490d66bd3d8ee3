package io.turnpike.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One client's share of the relay on a controlled clock: what a throttled connection is granted, and when. */
class ClientShareTest {

    private final AtomicLong ticker = new AtomicLong();
    private final ClientShare share = new ClientShare(ticker::get);

    @Test
    void aThrottledGrantWaitsForTheControlledClockAndGetsWhatItAccrued() throws Exception {
        share.setRate(125_000);
        assertThat(share.grant(ClientShare.BURST, () -> false)).as("the bucket starts full").isEqualTo(ClientShare.BURST);

        CompletableFuture<Long> granted = CompletableFuture.supplyAsync(() -> grant(100_000));
        assertThat(granted).as("no controlled time, no tokens").isNotDone();

        ticker.addAndGet(Duration.ofMillis(200).toNanos());

        assertThat(granted.get(10, TimeUnit.SECONDS)).as("200 ms at 125,000 B/s").isEqualTo(25_000);
    }

    private long grant(long wanted) {
        try {
            return share.grant(wanted, () -> false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
