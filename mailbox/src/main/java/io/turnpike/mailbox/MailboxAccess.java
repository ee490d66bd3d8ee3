package io.turnpike.mailbox;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides what a mailbox may do at a moment: open in free mode, under the subscription with the largest quota that
 * has not expired, or while its owner pays over a channel; read-only during the grace period after the newest expired
 * subscription; otherwise closed. Pure: the subscriptions, the payments and the time are given.
 */
public final class MailboxAccess {

    private final MailboxConfig config;
    private final Subscriptions subscriptions;
    private final ChannelPayments payments;

    public MailboxAccess(MailboxConfig config, Subscriptions subscriptions, ChannelPayments payments) {
        this.config = config;
        this.subscriptions = subscriptions;
        this.payments = payments;
    }

    public Access of(Address owner, Instant now) {
        if (config.free()) {
            return new Access.Open(config.withoutPlan(), Access.Basis.FREE, OptionalLong.empty(), Optional.empty());
        }
        List<Subscribed> held = config.plans().entrySet().stream()
                .flatMap(plan -> subscriptions.expiresAt(owner, plan.getKey()).stream().mapToObj(expiry ->
                        new Subscribed(plan.getKey(), plan.getValue(), Instant.ofEpochSecond(expiry))))
                .toList();
        Optional<Subscribed> best = held.stream().filter(s -> s.expiresAt().isAfter(now)).max(Subscribed.BY_VALUE);
        Optional<Subscribed> lapsed = held.stream().filter(s -> !s.expiresAt().isAfter(now))
                .max(Comparator.comparing(Subscribed::expiresAt));
        if (best.isPresent()) {
            Subscribed open = best.get();
            return new Access.Open(open.terms(), Access.Basis.SUBSCRIPTION, OptionalLong.of(open.planId()),
                    Optional.of(open.expiresAt()));
        }
        if (payments.standing(owner) == Standing.PAID) {
            return new Access.Open(config.withoutPlan(), Access.Basis.CHANNEL, OptionalLong.empty(), Optional.empty());
        }
        if (lapsed.isEmpty()) {
            return new Access.Closed(Optional.empty());
        }
        Subscribed last = lapsed.get();
        Instant eraseAt = last.expiresAt().plus(config.grace());
        return now.isBefore(eraseAt)
                ? new Access.Grace(last.terms(), last.planId(), last.expiresAt(), eraseAt)
                : new Access.Closed(Optional.of(new Access.Lapse(last.planId(), last.expiresAt(), eraseAt)));
    }

    private record Subscribed(long planId, MailboxTerms terms, Instant expiresAt) {
        /** The larger quota first; between equal quotas, the later expiry. */
        static final Comparator<Subscribed> BY_VALUE = Comparator.comparingLong((Subscribed s) -> s.terms().quotaBytes())
                .thenComparing(Subscribed::expiresAt);
    }
}
