package io.turnpike.node.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ChainClockTest {

    private static final Instant OWN = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void aBlockAheadOfTheMachineSetsTheTimeAndAnOlderOneDoesNot() {
        ChainClock clock = new ChainClock(Clock.fixed(OWN, ZoneOffset.UTC));

        clock.observed(OWN.plusSeconds(90));
        assertThat(clock.instant()).isEqualTo(OWN.plusSeconds(90));

        clock.observed(OWN.minusSeconds(90));
        assertThat(clock.instant()).isEqualTo(OWN);
    }

    @Test
    void inAnotherZoneItTellsTheSameChainTimeAndFollowsLaterBlocks() {
        ChainClock clock = new ChainClock(Clock.fixed(OWN, ZoneOffset.UTC));
        Clock berlin = clock.withZone(ZoneId.of("Europe/Berlin"));

        clock.observed(OWN.plusSeconds(3_600));

        assertThat(berlin.instant()).isEqualTo(OWN.plusSeconds(3_600));
        assertThat(LocalDateTime.now(berlin)).isEqualTo(LocalDateTime.parse("2026-12-06T12:00:00"));
        assertThat(berlin.withZone(ZoneOffset.UTC).instant()).isEqualTo(clock.instant());
    }
}
