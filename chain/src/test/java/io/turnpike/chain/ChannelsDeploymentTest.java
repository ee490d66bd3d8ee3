package io.turnpike.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelsContract.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Telling a TurnpikeChannels deployment from an address a node must not bind its database to. */
@ExtendWith(AnvilExtension.class)
class ChannelsDeploymentTest {

    @Test
    void onlyTurnpikeChannelsAnswersWithTheDomainOfItsOwnAddress(ChannelFixture f) {
        assertThat(f.channels.deployment()).isEqualTo(Deployment.TURNPIKE_CHANNELS);
        assertThat(ChannelsContract.at(f.chain, f.alice.address()).deployment()).isEqualTo(Deployment.NO_CODE);
        assertThat(ChannelsContract.at(f.chain, f.token.address()).deployment()).isEqualTo(Deployment.OTHER_CODE);
    }
}
