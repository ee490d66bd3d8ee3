package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.fixtures.DataDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client node buys bandwidth from a provider node, with real curl through the paid relay, on a real anvil. */
class PaidBandwidthTest {

    private static final int BODY = 3 * 1024 * 1024;

    @TempDir
    Path folder;

    private Downloads target;
    private TurnpikeNode provider;
    private TurnpikeNode client;

    @BeforeEach
    void serveData() {
        target = new Downloads(BODY);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
            client.context().close();
        }
        if (provider != null) {
            provider.close();
            provider.context().close();
        }
        target.close();
    }

    @Test
    void clientPaysProviderExactlyForTheMeteredBytes() throws Exception {
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int providerPeer = TestNodes.freePort();
        int relay = TestNodes.freePort();
        int socks = TestNodes.freePort();
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, "1000", "1000000000", 125_000));
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), providerPeer, relay, TestNodes.freePort(),
                socks, "1s"));
        provider = nodes.start(providerDir);
        client = nodes.start(clientDir);
        Downloads.await(() -> client.payments().orElseThrow().route().isPresent(), Duration.ofSeconds(60));

        assertThat(target.fetchThrough(socks)).isEqualTo(BODY);

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
        assertThat(provider.channels().find(channelId).orElseThrow().received().orElseThrow().message().transferred())
                .isEqualTo(client.channels().find(channelId).orElseThrow().sent().orElseThrow().message().transferred());
    }

    @Test
    void aClientWhoseChannelRunsLowTopsItUpAndKeepsPaying() throws Exception {
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int providerPeer = TestNodes.freePort();
        int relay = TestNodes.freePort();
        int socks = TestNodes.freePort();
        // 1 gwei per byte: the 3 MiB download costs about 0.0031 ETH, more than the 0.002 ETH deposit.
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, "1000000000", "400000000000000", 125_000));
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), providerPeer, relay, TestNodes.freePort(),
                socks, "1s") + "\nclient.deposit = \"0.002\"\nclient.top-up-below = \"0.001\"");
        provider = nodes.start(providerDir);
        client = nodes.start(clientDir);
        Downloads.await(() -> client.payments().orElseThrow().route().isPresent(), Duration.ofSeconds(60));

        assertThat(target.fetchThrough(socks)).isEqualTo(BODY);

        Downloads.await(() -> {
            PeerView atClient = single(client.payments().orElseThrow().views());
            PeerView atProvider = single(provider.provider().orElseThrow().views());
            return atClient.used().isGreaterThan(Amount.parse("0.003", 18)) && atClient.owed().isZero()
                    && atProvider.used().equals(atClient.used()) && atProvider.paid().equals(atProvider.used());
        }, Duration.ofSeconds(60));
        PeerView atProvider = single(provider.provider().orElseThrow().views());
        assertThat(atProvider.paid()).isGreaterThan(Amount.parse("0.002", 18));
        long channelId = atProvider.channelId().orElseThrow();
        assertThat(nodes.contract.participant(channelId, clientDir.address()).deposit())
                .isGreaterThan(Amount.parse("0.002", 18));
    }

    private static PeerView single(List<PeerView> views) {
        assertThat(views).hasSize(1);
        return views.get(0);
    }
}
