package io.turnpike.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which plan a mailbox is served under, and where the grace period starts and ends, to the second. */
class MailboxAccessTest {

    private static final Address OWNER = Address.of("0x00000000000000000000000000000000000000b0");
    private static final MailboxTerms SMALL = MailboxTerms.days(30, 1_000);
    private static final MailboxTerms LARGE = MailboxTerms.days(90, 50_000);
    private static final MailboxTerms PER_BYTE = MailboxTerms.days(10, 100);
    private static final Duration GRACE = Duration.ofDays(7);
    private static final MailboxConfig CONFIG = MailboxConfig.subscriptions(Map.of(1L, SMALL, 2L, LARGE), PER_BYTE)
            .withGrace(GRACE);
    private static final Instant T = Instant.parse("2026-05-01T00:00:00Z");

    private final Map<Long, Long> expiries = new HashMap<>();
    private Standing standing = Standing.NONE;

    private Access at(Instant now) {
        Subscriptions subscriptions = (owner, planId) -> owner.equals(OWNER) && expiries.containsKey(planId)
                ? OptionalLong.of(expiries.get(planId)) : OptionalLong.empty();
        ChannelPayments payments = new ChannelPayments() {
            @Override
            public Standing standing(Address owner) {
                return standing;
            }

            @Override
            public void stored(Address owner, long bytes) {
            }
        };
        return new MailboxAccess(CONFIG, subscriptions, payments).of(OWNER, now);
    }

    @Test
    void aSubscriptionIsOpenUntilItsExpiryThenReadOnlyForTheGracePeriodThenClosed() {
        expiries.put(1L, T.getEpochSecond());

        assertThat(at(T.minusSeconds(1))).isEqualTo(new Access.Open(SMALL, Access.Basis.SUBSCRIPTION,
                OptionalLong.of(1), Optional.of(T)));
        assertThat(at(T)).isEqualTo(new Access.Grace(SMALL, 1, T, T.plus(GRACE)));
        assertThat(at(T.plus(GRACE).minusSeconds(1))).isInstanceOf(Access.Grace.class);
        assertThat(at(T.plus(GRACE))).isEqualTo(new Access.Closed(Optional.of(new Access.Lapse(1, T, T.plus(GRACE)))));
    }

    @Test
    void ofTwoRunningSubscriptionsTheOneWithTheLargerQuotaServes() {
        expiries.put(1L, T.plusSeconds(1000).getEpochSecond());
        expiries.put(2L, T.plusSeconds(10).getEpochSecond());

        assertThat(at(T)).extracting(access -> ((Access.Open) access).terms()).isEqualTo(LARGE);
        assertThat(at(T.plusSeconds(10))).extracting(access -> ((Access.Open) access).terms()).isEqualTo(SMALL);
    }

    @Test
    void aChannelPayerIsServedOnThePerByteTermsAndOnlyWhilePaid() {
        assertThat(at(T)).isEqualTo(new Access.Closed(Optional.empty()));
        standing = Standing.PAID;
        assertThat(at(T)).isEqualTo(new Access.Open(PER_BYTE, Access.Basis.CHANNEL, OptionalLong.empty(),
                Optional.empty()));
        standing = Standing.FREE;
        assertThat(at(T)).isEqualTo(new Access.Closed(Optional.empty()));
    }

    @Test
    void theGracePeriodFollowsTheNewestLapsedSubscription() {
        expiries.put(1L, T.minus(Duration.ofDays(20)).getEpochSecond());
        expiries.put(2L, T.minus(Duration.ofDays(3)).getEpochSecond());

        assertThat(at(T)).isEqualTo(new Access.Grace(LARGE, 2, T.minus(Duration.ofDays(3)),
                T.minus(Duration.ofDays(3)).plus(GRACE)));
    }
}
