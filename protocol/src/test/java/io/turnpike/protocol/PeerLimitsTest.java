package io.turnpike.protocol;

import static io.turnpike.protocol.PeerFixtures.ALICE;
import static io.turnpike.protocol.PeerFixtures.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PeerLimitsTest {

    @Test
    void aNodeConfiguredWithoutLimitsGetsTheDefaults() {
        assertThat(PeerConfig.of(ALICE, DOMAIN).limits()).isEqualTo(PeerLimits.defaults());
        // Messages between the codec's limit and the transport's are read and refused with a code, not closed.
        assertThat(PeerLimits.defaults().maxMessageBytes()).isGreaterThan(PeerCodec.MAX_MESSAGE_BYTES);
    }

    @Test
    void aLimitOfZeroIsRefusedRatherThanMeaningUnlimited() {
        assertThatIllegalArgumentException().isThrownBy(() -> PeerLimits.defaults().withMaxQueuedBytes(0))
                .withMessageContaining("maxQueuedBytes");
        assertThatIllegalArgumentException().isThrownBy(() -> PeerLimits.defaults().withMaxConnections(0));
        assertThatIllegalArgumentException().isThrownBy(() -> PeerLimits.defaults().withUpgradeTimeout(Duration.ZERO));
    }

    @Test
    void theHandshakeMessageLimitCannotExceedTheMessageLimit() {
        assertThatIllegalArgumentException().isThrownBy(() -> PeerLimits.defaults().withMaxMessageBytes(4096))
                .withMessageContaining("maxHandshakeMessageBytes");
    }
}
