package io.turnpike.node.paywall;

import static io.turnpike.node.demo.PaywallNodes.PRICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.wallet.PassphraseSource;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `turnpike http GET URL` on a stopped client node's data directory, against a running provider's paywall. */
class HttpCommandTest {

    @Test
    void aPaidGetIsPaidFromTheNodesChannelWithinTheCapAndRefusedAboveIt(@TempDir Path work)
            throws InterruptedException {
        try (PaywallNodes nodes = PaywallNodes.start(SharedAnvil.get(), work, "1", "max-per-request = \"" + PRICE
                + "\", max-per-day = \"" + PRICE.times(10) + "\"")) {
            nodes.stopClient();
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
}
