package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Amount;
import io.turnpike.core.service.Standing;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.demo.PeerLink;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.relay.RelayServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Someone who stops paying is not cut off: they drop to the slow bootstrapping tier until they pay." A real client
 * node streams through its provider; the network between the two nodes' peer ports goes down, so the client can no
 * longer pay while its relayed download goes on with real curl: the client's standing drops to free and the relay
 * holds it to the free rate while bytes keep flowing, and once the link returns and the client has paid its debt it
 * is back at full speed. What the free rate allows per unit of time is checked on a controlled clock in the relay's
 * own tests (RelayThrottleTest); this one asserts only behaviour, never elapsed time.
 */
class ThrottleTest {

    private static final long FREE_TIER_RATE = 200_000;
    /** The source's pace: "full speed", twenty times the free tier. */
    private static final long FULL_SPEED = 4_000_000;
    /** 1000 wei per byte; the provider throttles above 1.25 × 4 MB of unpaid traffic, about a second of it. */
    private static final String PRICE_PER_BYTE = "1000";
    private static final String THRESHOLD = "4000000000";

    @TempDir
    Path folder;

    private PacedServer target;
    private PeerLink link;
    private TurnpikeNode provider;
    private TurnpikeNode client;

    @AfterEach
    void stop() {
        for (TurnpikeNode node : new TurnpikeNode[] {client, provider}) {
            if (node != null) {
                node.close();
                node.context().close();
            }
        }
        if (link != null) {
            link.close();
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void aClientThatCannotPayDropsToTheFreeTierRateAndIsBackAtFullSpeedOnceItPays() throws Exception {
        target = new PacedServer(FULL_SPEED);
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised providerDir = nodes.datadir("provider", 1);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        int socks = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, PRICE_PER_BYTE, THRESHOLD, FREE_TIER_RATE));
        link = new PeerLink(providerPeer);
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), link.port(), relay, FreePort.take(),
                socks, "1s"));
        provider = nodes.start(providerDir);
        client = nodes.start(clientDir);
        Downloads.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(),
                Duration.ofSeconds(60));

        try (Curl.Download download = Curl.stream(Curl.socks(socks), target.endless())) {
            Downloads.await(() -> clientAtProvider().paid().isGreaterThan(Amount.ZERO), Duration.ofSeconds(30));
            assertThat(clientAtProvider().tier()).isEqualTo(Standing.PAID.wireName());
            assertThat(relayRate()).as("a paying client's relay rate").isEqualTo(RelayServer.UNLIMITED);

            link.cut();
            Downloads.await(() -> clientAtProvider().tier().equals(Standing.FREE.wireName()), Duration.ofSeconds(30));
            assertThat(relayRate()).as("the relay applies the free tier").isEqualTo(FREE_TIER_RATE);
            long throttledAt = download.bytes();
            Downloads.await(() -> download.bytes() > throttledAt + FREE_TIER_RATE / 4, Duration.ofSeconds(30));
            assertThat(download.isRunning()).as("throttled, never disconnected").isTrue();
            Amount paidBefore = clientAtProvider().paid();

            link.restore();
            Downloads.await(() -> clientAtProvider().tier().equals(Standing.PAID.wireName()), Duration.ofSeconds(30));
            assertThat(clientAtProvider().paid()).as("paid on reconnecting").isGreaterThan(paidBefore);
            assertThat(relayRate()).as("full speed once paid").isEqualTo(RelayServer.UNLIMITED);
            assertThat(download.isRunning()).isTrue();
        }
    }

    private long relayRate() {
        return provider.relay().orElseThrow().rate(client.context().key().address());
    }

    private PeerView clientAtProvider() {
        var views = provider.provider().orElseThrow().views();
        assertThat(views).hasSize(1);
        return views.get(0);
    }
}
