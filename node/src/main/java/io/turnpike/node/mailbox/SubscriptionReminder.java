package io.turnpike.node.mailbox;

import io.turnpike.chain.market.SubscriptionFollower;
import io.turnpike.core.Address;
import io.turnpike.node.control.SubscriptionView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminds the operator of this node's own subscriptions in the market (DESIGN §7): each one in its last
 * {@link #WINDOW} is logged once when it gets there, and once more when it ends, with the command that renews it; the
 * API lists them all ({@code GET /api/subscriptions}) and the metrics give the seconds each has left.
 */
public final class SubscriptionReminder {

    /** How long before its end a subscription is called out for renewal. */
    public static final Duration WINDOW = Duration.ofDays(7);
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionReminder.class);

    private final Address self;
    private final Function<Address, Map<SubscriptionFollower.Key, Long>> held;
    private final Clock clock;
    /** The state each subscription was last logged in, so a reminder is logged once, not every tick. */
    private final Map<SubscriptionFollower.Key, String> reminded = new ConcurrentHashMap<>();

    /** @param held the confirmed subscriptions an address holds, with their expiries (a {@link SubscriptionFollower}) */
    public SubscriptionReminder(Address self, Function<Address, Map<SubscriptionFollower.Key, Long>> held, Clock clock) {
        this.self = self;
        this.held = held;
        this.clock = clock;
    }

    /** The command that renews a subscription to {@code provider}'s plan {@code planId}. */
    public static String renewal(Address provider, long planId) {
        return "turnpike subscribe " + provider + " --plan " + planId + " --months N";
    }

    /** {@code running}, {@code ending} within the last {@link #WINDOW}, or {@code ended} at {@code now}. */
    public static String state(Instant now, Instant expiresAt) {
        if (!expiresAt.isAfter(now)) {
            return "ended";
        }
        return Duration.between(now, expiresAt).compareTo(WINDOW) <= 0 ? "ending" : "running";
    }

    /** This node's subscriptions now, soonest to end first. */
    public List<SubscriptionView> subscriptions() {
        Instant now = clock.instant();
        return held.apply(self).entrySet().stream()
                .map(entry -> {
                    Instant expiresAt = Instant.ofEpochSecond(entry.getValue());
                    SubscriptionFollower.Key key = entry.getKey();
                    return new SubscriptionView(key.provider(), key.planId(), expiresAt, state(now, expiresAt),
                            renewal(key.provider(), key.planId()));
                })
                .sorted(Comparator.comparing(SubscriptionView::expiresAt))
                .toList();
    }

    /**
     * Logs each subscription that entered its last week or ended since the last check, once; returns those it logged.
     */
    public List<SubscriptionView> check() {
        List<SubscriptionView> logged = new ArrayList<>();
        for (SubscriptionView subscription : subscriptions()) {
            String previous = reminded.put(new SubscriptionFollower.Key(self, subscription.provider(),
                    subscription.planId()), subscription.state());
            if (subscription.state().equals(previous) || "running".equals(subscription.state())) {
                continue;
            }
            LOG.warn("the subscription to {} plan {} {} at {}; renew with: {}", subscription.provider(),
                    subscription.planId(), "ended".equals(subscription.state()) ? "ended" : "ends within "
                            + WINDOW.toDays() + " days,", subscription.expiresAt(), subscription.renewal());
            logged.add(subscription);
        }
        return logged;
    }
}
