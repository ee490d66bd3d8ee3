package io.turnpike.node.paywall;

import static io.turnpike.node.demo.PaywallNodes.PRICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.NodeHome;
import io.turnpike.node.api.ApiServer;
import io.turnpike.node.api.ApiToken;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.daemon.RunningNodeControl;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.wallet.PassphraseSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `turnpike http GET URL` against a running provider's paywall: on a stopped client node's data directory, and through
 * a running client node's API.
 */
class HttpCommandTest {

    @Test
    void aPaidGetIsPaidFromTheNodesChannelWithinTheCapAndRefusedAboveIt(@TempDir Path work)
            throws InterruptedException, IOException {
        try (PaywallNodes nodes = PaywallNodes.start(SharedAnvil.get(), work, "1", "max-per-request = \"" + PRICE
                + "\", max-per-day = \"" + PRICE.times(10) + "\"")) {
            nodes.stopClient();
            // Nothing answers at the API's port, so the command opens the data directory itself.
            apiOn(nodes.client.context().home(), FreePort.take());
            String datadir = nodes.client.context().home().directory().toString();
            Turnpike turnpike = Turnpike.withoutTerminal().variable(PassphraseSource.VARIABLE, DemoNodes.PASSPHRASE);
            Amount received = nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal();

            Turnpike.Result paid = turnpike.run("http", "GET", nodes.paid("/api/quote").toString(), "--datadir", datadir);

            assertThat(paid.exitCode()).as(paid.all()).isZero();
            assertThat(paid.out()).contains("ETH/USD").contains(nodes.clientAddress().toString());
            assertThat(paid.err()).contains("paid " + PRICE).contains("turnpike-channel")
                    .contains("channel " + nodes.channelId);
            assertThat(nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal())
                    .isEqualTo(received.plus(PRICE));

            Turnpike.Result refused = turnpike.run("http", "GET", nodes.paid("/api/quote").toString(), "--datadir",
                    datadir, "--max", PRICE.minus(Amount.of(1)).toString());

            assertThat(refused.exitCode()).isEqualTo(ErrorCode.SPENDING_CAP_EXCEEDED.exitStatus());
            assertThat(refused.err()).contains("error [spending_cap_exceeded]").contains("nothing was paid");
            assertThat(refused.out()).isEmpty();
            assertThat(nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal())
                    .isEqualTo(received.plus(PRICE));
        }
    }

    @Test
    void withTheClientNodeRunningItsApiPaysFromTheNodesLiveChannel(@TempDir Path work) throws Exception {
        try (PaywallNodes nodes = PaywallNodes.start(SharedAnvil.get(), work, "1", "max-per-request = \"" + PRICE
                + "\", max-per-day = \"" + PRICE.times(10) + "\"")) {
            NodeHome home = nodes.client.context().home();
            int port = FreePort.take();
            apiOn(home, port);
            Amount received = nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal();
            try (ApiServer api = ApiServer.start(new RunningNodeControl(nodes.client),
                    new NodeConfig.Endpoint("127.0.0.1", port), false, ApiToken.read(home.apiTokenFile()))) {

                Turnpike.Result paid = Turnpike.withoutTerminal().run("http", "GET", nodes.paid("/api/quote").toString(),
                        "--datadir", home.directory().toString());

                assertThat(paid.exitCode()).as(paid.all()).isZero();
                assertThat(paid.out()).contains("ETH/USD");
                assertThat(paid.err()).contains("paid " + PRICE).contains("turnpike-channel")
                        .contains("channel " + nodes.channelId);
            }
            assertThat(nodes.provider.channel(nodes.channelId).orElseThrow().receivedTotal())
                    .isEqualTo(received.plus(PRICE));
            assertThat(nodes.client.channel(nodes.channelId).orElseThrow().sentTotal())
                    .as("the running node signed it from its own channel").isEqualTo(received.plus(PRICE));
        }
    }

    /** The node's API on {@code port} of loopback, added to its settings. */
    private static void apiOn(NodeHome home, int port) throws IOException {
        Files.writeString(home.configFile(), "\nturnpike.api { bind = \"127.0.0.1\", port = " + port + " }\n",
                StandardOpenOption.APPEND);
    }
}
