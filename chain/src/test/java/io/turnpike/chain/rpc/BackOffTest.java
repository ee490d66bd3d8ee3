package io.turnpike.chain.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackOffTest {

    @Test
    void delayDoublesWithEachFailureInARowUpToTheMaximum() {
        BackOff backOff = new BackOff(Duration.ofSeconds(1), Duration.ofSeconds(20));
        assertThat(IntStream.rangeClosed(1, 7).mapToObj(backOff::delayAfter).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 16L, 20L, 20L);
        assertThat(backOff.delayAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aBackOffFollowsAFailureAndNeedsAPositiveRange() {
        assertThatThrownBy(() -> BackOff.defaults().delayAfter(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BackOff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
