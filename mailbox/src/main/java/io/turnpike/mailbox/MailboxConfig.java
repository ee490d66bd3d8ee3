package io.turnpike.mailbox;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a provider runs its mailbox.
 *
 * @param free every address is served, without a subscription or a payment ({@code turnpike.provider.services.mailbox
 *     .free = true}), on {@code withoutPlan}'s terms
 * @param plans the market plans (by plan id) that grant a mailbox, and on what terms
 * @param withoutPlan the terms of a mailbox served in free mode or paid per message-byte over a channel
 * @param grace how long after a subscription expires its mailbox can still be read (no new deliveries); then it is
 *     erased
 * @param maxEnvelopeBytes the largest envelope taken, sealing overhead included
 * @param maxFetchEnvelopes the most envelopes one fetch answers with
 * @param maxFetchBytes the most envelope bytes one fetch answers with (one envelope always fits)
 * @param maxRequestLifetime how far ahead a signed request's expiry may lie: its nonce is kept that long
 */
public record MailboxConfig(boolean free, Map<Long, MailboxTerms> plans, MailboxTerms withoutPlan, Duration grace,
                            int maxEnvelopeBytes, int maxFetchEnvelopes, int maxFetchBytes,
                            Duration maxRequestLifetime) {

    public static final int DEFAULT_MAX_ENVELOPE_BYTES = 64 * 1024;

    public MailboxConfig {
        plans = Map.copyOf(plans);
        Objects.requireNonNull(withoutPlan, "withoutPlan");
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(maxRequestLifetime, "maxRequestLifetime");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("a grace period is not negative, got " + grace);
        }
        if (maxEnvelopeBytes < 1 || maxFetchEnvelopes < 1 || maxFetchBytes < maxEnvelopeBytes) {
            throw new IllegalArgumentException("maxEnvelopeBytes and maxFetchEnvelopes are at least 1, and a fetch "
                    + "holds at least one envelope of the largest size");
        }
        if (maxRequestLifetime.isNegative() || maxRequestLifetime.isZero()) {
            throw new IllegalArgumentException("maxRequestLifetime is positive, got " + maxRequestLifetime);
        }
    }

    /**
     * Served to subscribers of {@code plans} (and channel payers) only, with the defaults: 64 KiB envelopes, 100
     * envelopes or 1 MiB per fetch, 7 days' grace, requests signed for at most 10 minutes ahead.
     */
    public static MailboxConfig subscriptions(Map<Long, MailboxTerms> plans, MailboxTerms withoutPlan) {
        return new MailboxConfig(false, plans, withoutPlan, Duration.ofDays(7), DEFAULT_MAX_ENVELOPE_BYTES, 100,
                1024 * 1024, Duration.ofMinutes(10));
    }

    public MailboxConfig withFree(boolean serveEveryone) {
        return new MailboxConfig(serveEveryone, plans, withoutPlan, grace, maxEnvelopeBytes, maxFetchEnvelopes,
                maxFetchBytes, maxRequestLifetime);
    }

    public MailboxConfig withGrace(Duration period) {
        return new MailboxConfig(free, plans, withoutPlan, period, maxEnvelopeBytes, maxFetchEnvelopes, maxFetchBytes,
                maxRequestLifetime);
    }
}
