package io.turnpike.node.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.MutableClock;
import io.turnpike.chain.market.SubscriptionFollower;
import io.turnpike.core.Address;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.metrics.MicrometerMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The node's reminder of its own subscriptions, on a clock the test moves. */
class SubscriptionReminderTest {

    private static final Address SELF = Address.of("0x03b5D811d9185b0B7C615e667f2B894032FFf6FB");
    private static final Address PROVIDER = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address OTHER = Address.of("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    private static final Instant START = Instant.parse("2027-03-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final Map<SubscriptionFollower.Key, Long> confirmed = new HashMap<>();
    private final SubscriptionReminder reminder = new SubscriptionReminder(SELF, beneficiary -> {
        Map<SubscriptionFollower.Key, Long> held = new HashMap<>();
        confirmed.forEach((key, expiry) -> {
            if (key.beneficiary().equals(beneficiary)) {
                held.put(key, expiry);
            }
        });
        return held;
    }, clock);

    @Test
    void aSubscriptionIsRemindedOnceInItsLastWeekAndOnceWhenItEndsWithTheCommandThatRenewsIt() {
        Instant expiry = START.plus(Duration.ofDays(10));
        confirmed.put(new SubscriptionFollower.Key(SELF, PROVIDER, 1), expiry.getEpochSecond());
        confirmed.put(new SubscriptionFollower.Key(OTHER, PROVIDER, 1), START.getEpochSecond() + 60);
        String renewal = "turnpike subscribe " + PROVIDER + " --plan 1 --months N";

        assertThat(reminder.check()).as("ten days left").isEmpty();
        assertThat(reminder.subscriptions()).containsExactly(
                new SubscriptionView(PROVIDER, 1, expiry, "running", renewal));

        clock.advance(Duration.ofDays(3));
        assertThat(reminder.check()).containsExactly(new SubscriptionView(PROVIDER, 1, expiry, "ending", renewal));
        clock.advance(Duration.ofHours(1));
        assertThat(reminder.check()).as("once, not every tick").isEmpty();
        assertThat(reminder.subscriptions()).extracting(SubscriptionView::state).containsExactly("ending");

        clock.advance(Duration.ofDays(7));
        assertThat(reminder.check()).containsExactly(new SubscriptionView(PROVIDER, 1, expiry, "ended", renewal));
        assertThat(reminder.check()).isEmpty();

        Instant renewed = expiry.plus(Duration.ofDays(30));
        confirmed.put(new SubscriptionFollower.Key(SELF, PROVIDER, 1), renewed.getEpochSecond());
        assertThat(reminder.check()).as("renewed: nothing to remind").isEmpty();
        assertThat(reminder.subscriptions()).extracting(SubscriptionView::state).containsExactly("running");
    }

    @Test
    void theMetricGivesTheSecondsEachSubscriptionHasLeft() {
        confirmed.put(new SubscriptionFollower.Key(SELF, PROVIDER, 2), START.getEpochSecond() + 3_600);
        MicrometerMetrics metrics = new MicrometerMetrics("test", "ETH", clock);

        metrics.subscriptions(reminder.subscriptions(), clock.instant());

        assertThat(metrics.scrape(null, List.of(), List.of())).contains("turnpike_subscription_seconds_left{plan=\"2\","
                + "provider=\"" + PROVIDER + "\"} 3600.0");
    }
}
