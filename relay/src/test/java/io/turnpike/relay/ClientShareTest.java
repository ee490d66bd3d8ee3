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
    private final ClientShare share = new ClientShare(ticker::get, null);

    @Test
    void aThrottledGrantWaitsForTheControlledClockAndGetsWhatItAccrued() throws Exception {
        share.setRate(125_000);
        assertThat(share.grant(ClientShare.BURST, () -> false)).as("the bucket starts full").isEqualTo(ClientShare.BURST);

        CompletableFuture<Long> granted = CompletableFuture.supplyAsync(() -> grant(share, 100_000));
        assertThat(granted).as("no controlled time, no tokens").isNotDone();

        ticker.addAndGet(Duration.ofMillis(200).toNanos());

        assertThat(granted.get(10, TimeUnit.SECONDS)).as("200 ms at 125,000 B/s").isEqualTo(25_000);
    }

    @Test
    void throttledClientsTogetherGetNoMoreThanTheThrottledTotal() throws Exception {
        ThrottledTotal total = new ThrottledTotal(125_000, ticker.get());
        ClientShare first = new ClientShare(ticker::get, total);
        ClientShare second = new ClientShare(ticker::get, total);
        first.setRate(125_000);
        second.setRate(125_000);
        assertThat(grant(first, ClientShare.BURST)).as("the total's burst").isEqualTo(ClientShare.BURST);

        CompletableFuture<Long> granted = CompletableFuture.supplyAsync(() -> grant(second, 100_000));
        assertThat(granted).as("its own share is full, the total is spent").isNotDone();

        ticker.addAndGet(Duration.ofMillis(200).toNanos());

        assertThat(granted.get(10, TimeUnit.SECONDS)).as("200 ms of the total, not of its own rate as well")
                .isEqualTo(25_000);
    }

    private static long grant(ClientShare share, long wanted) {
        try {
            return share.grant(wanted, () -> false);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
