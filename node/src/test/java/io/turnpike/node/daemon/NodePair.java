package io.turnpike.node.daemon;

import io.turnpike.chain.anvil.FreePort;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.service.BandwidthService;
import java.time.Duration;

/**
 * A provider node and a client node buying bandwidth from it, on the test's chain, started and ready: the
 * client holds a channel and a relay session, so a fetch through {@link #socksPort} is paid for.
 */
final class NodePair implements AutoCloseable {

    final DataDirs.Initialised providerDir;
    final DataDirs.Initialised clientDir;
    final int socksPort;
    final int providerPeerPort;
    TurnpikeNode provider;
    TurnpikeNode client;

    /**
     * @param providerSettings appended to the provider's settings (HOCON paths such as
     *     {@code provider.statement-interval = 1h}), as {@code clientSettings} to the client's
     */
    NodePair(TestNodes nodes, String pricePerByte, String threshold, String providerSettings, String clientSettings)
            throws InterruptedException {
        providerDir = nodes.datadir("provider", 10);
        clientDir = nodes.datadir("client", 10);
        int providerPeer = FreePort.take();
        providerPeerPort = providerPeer;
        int relay = FreePort.take();
        socksPort = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, pricePerByte, threshold, 125_000) + "\n"
                + providerSettings);
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), providerPeer, relay, FreePort.take(),
                socksPort, "1s") + "\n" + clientSettings);
        provider = nodes.start(providerDir);
        client = nodes.start(clientDir);
        Downloads.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(),
                Duration.ofSeconds(60));
    }

    /** Stops the provider as an operator would; {@link TestNodes#start} brings it back on the same data directory. */
    void stopProvider() {
        stop(provider);
        provider = null;
    }

    @Override
    public void close() {
        stop(client);
        stop(provider);
    }

    private static void stop(TurnpikeNode node) {
        if (node != null) {
            node.close();
            node.context().close();
        }
    }
}
