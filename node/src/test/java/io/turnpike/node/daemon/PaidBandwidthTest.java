package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.node.control.PeerView;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A client node buys bandwidth from a provider node, with real curl through the paid relay, on a real anvil. */
class PaidBandwidthTest {

    private static final int BODY = 3 * 1024 * 1024;

    @RegisterExtension
    final PairedNodes paired = new PairedNodes(BODY);

    @Test
    void clientPaysProviderExactlyForTheMeteredBytes() throws Exception {
        NodePair pair = paired.start("1000", "1000000000", "", "");
        TurnpikeNode provider = pair.provider;
        TurnpikeNode client = pair.client;

        assertThat(paired.fetch()).isEqualTo(BODY);

        // Once the client has paid everything it owes, both ledgers agree to the wei.
        Downloads.await(() -> {
            PeerView atClient = single(client.payments().orElseThrow().views());
            PeerView atProvider = single(provider.provider().orElseThrow().views());
            return atClient.used().isGreaterThan(Amount.ZERO) && atClient.owed().isZero()
                    && atProvider.paid().equals(atProvider.used());
        }, Duration.ofSeconds(30));
        PeerView atClient = single(client.payments().orElseThrow().views());
        PeerView atProvider = single(provider.provider().orElseThrow().views());
        assertThat(atProvider.used()).isEqualTo(atClient.used());
        assertThat(atProvider.paid()).isEqualTo(atClient.paid());
        // Priced at 1000 wei per byte: at least the body crossed the relay, plus headers both ways.
        assertThat(atProvider.used()).isGreaterThanOrEqualTo(Amount.of(1000L * BODY));
        assertThat(atProvider.used()).isLessThan(Amount.of(1000L * (BODY + 4096)));
        long channelId = atClient.channelId().orElseThrow();
        assertThat(provider.channel(channelId).orElseThrow().received().orElseThrow().message().transferred())
                .isEqualTo(client.channel(channelId).orElseThrow().sent().orElseThrow().message().transferred());
    }

    @Test
    void aClientWhoseChannelRunsLowTopsItUpAndKeepsPaying() throws Exception {
        // 1 gwei per byte: the 3 MiB download costs about 0.0031 ETH, more than the 0.002 ETH deposit.
        NodePair pair = paired.start("1000000000", "400000000000000", "",
                "client.deposit = \"0.002\"\nclient.top-up-below = \"0.001\"");
        TurnpikeNode provider = pair.provider;
        TurnpikeNode client = pair.client;

        assertThat(paired.fetch()).isEqualTo(BODY);

        Downloads.await(() -> {
            PeerView atClient = single(client.payments().orElseThrow().views());
            PeerView atProvider = single(provider.provider().orElseThrow().views());
            return atClient.used().isGreaterThan(Amount.parse("0.003", 18)) && atClient.owed().isZero()
                    && atProvider.used().equals(atClient.used()) && atProvider.paid().equals(atProvider.used());
        }, Duration.ofSeconds(60));
        PeerView atProvider = single(provider.provider().orElseThrow().views());
        assertThat(atProvider.paid()).isGreaterThan(Amount.parse("0.002", 18));
        long channelId = atProvider.channelId().orElseThrow();
        assertThat(paired.nodes().contract.participant(channelId, pair.clientDir.address()).deposit())
                .isGreaterThan(Amount.parse("0.002", 18));
    }

    private static PeerView single(List<PeerView> views) {
        assertThat(views).hasSize(1);
        return views.get(0);
    }
}
