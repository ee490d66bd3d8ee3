package io.turnpike.mailbox;

import java.time.Duration;
import java.util.Objects;

/**
 * What a mailbox keeps under one plan: each envelope for at most {@code retention} after it arrived, and at most
 * {@code quotaBytes} of envelopes at once.
 */
public record MailboxTerms(Duration retention, long quotaBytes) {

    public MailboxTerms {
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("a retention is positive, got " + retention);
        }
        if (quotaBytes < 1) {
            throw new IllegalArgumentException("a quota is at least 1 byte, got " + quotaBytes);
        }
    }

    public static MailboxTerms days(long retentionDays, long quotaBytes) {
        return new MailboxTerms(Duration.ofDays(retentionDays), quotaBytes);
    }
}
