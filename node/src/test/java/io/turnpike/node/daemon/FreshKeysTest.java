package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.service.Standing;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.SessionToken;
import io.turnpike.protocol.PeerMessage.Throttle;
import io.turnpike.relay.RelayServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A key costs nothing to make, so a new one gets nothing on credit: a peer with no channel and no payment is served at
 * the free tier from its first message, while a client whose channel holds {@code min-deposit} is served at full
 * speed. And keys that come and go leave nothing behind: a peer away for {@code forget-idle-after} that owes nothing
 * is dropped from the provider's views and its relay, while its books stay in the store.
 */
class FreshKeysTest {

    /** What NodePair's provider gives the free tier. */
    private static final long FREE_TIER_RATE = 125_000;
    private static final int STRANGERS = 40;
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    final PairedNodes paired = new PairedNodes(1);

    @Test
    void freshKeysGetTheFreeTierOnlyAndAreForgottenOnceAwayWhileAStakedClientKeepsFullSpeed() throws Exception {
        TestNodes nodes = paired.nodes();
        NodePair pair = paired.start("1000", "4000000000", "provider.forget-idle-after = 1s", "");
        TurnpikeNode provider = pair.provider;
        RelayServer relay = provider.relay().orElseThrow();
        Address staked = pair.client.context().key().address();
        Downloads.await(() -> standingOf(provider, staked).equals(Standing.PAID.wireName()), PATIENCE);
        assertThat(relay.rate(staked)).as("a client with a channel holding min-deposit").isEqualTo(RelayServer.UNLIMITED);

        List<Address> strangers = new ArrayList<>();
        for (int i = 0; i < STRANGERS; i++) {
            try (RawPeer stranger = RawPeer.connect(TestNodes.newKey(), nodes.contract.domain(),
                    pair.providerPeerPort, pair.providerDir.address())) {
                stranger.send(new SessionRequest(BandwidthService.NAME));
                Throttle tier = stranger.next(Throttle.class);
                assertThat(tier.tier()).isEqualTo(Standing.FREE.wireName());
                assertThat(tier.rate()).isEqualTo(FREE_TIER_RATE);
                stranger.next(SessionToken.class);
                assertThat(relay.rate(stranger.address())).as("the relay holds a fresh key to the free tier")
                        .isEqualTo(FREE_TIER_RATE);
                strangers.add(stranger.address());
            }
        }

        Downloads.await(() -> provider.provider().orElseThrow().views().stream().map(PeerView::address)
                .noneMatch(strangers::contains), PATIENCE);
        assertThat(provider.peers().find(strangers.getFirst())).as("the peer is dropped too").isEmpty();
        assertThat(relay.knownClients()).as("the relay keeps only the staked client").isLessThanOrEqualTo(1);
        assertThat(standingOf(provider, staked)).as("a connected client is never forgotten")
                .isEqualTo(Standing.PAID.wireName());
    }

    private static String standingOf(TurnpikeNode provider, Address client) {
        return provider.provider().orElseThrow().views().stream().filter(view -> view.address().equals(client))
                .map(PeerView::tier).findFirst().orElse("unknown");
    }
}
