package io.turnpike.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.market.MarketFixture;
import io.turnpike.chain.market.Plan;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.ScriptedTerminal;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.market.LatencyProbe;
import io.turnpike.node.wallet.PassphraseSource;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `turnpike providers` and `turnpike subscribe` on a real TurnpikeMarket on anvil, as a client choosing a provider and
 * paying its plan would.
 */
class ProvidersCommandTest {

    @TempDir
    Path dir;

    @Test
    void eachRegisteredProviderIsListedWithItsEndpointStakeServicesAndPlans() {
        MarketFixture market = MarketFixture.deploy(SharedAnvil.get());
        market.registerProvider();
        DataDirs.Initialised node = marketNode(market);

        Turnpike.Result listed = Turnpike.withoutTerminal().run("providers", "--datadir", node.directory().toString());

        assertThat(listed.exitCode()).as(listed.all()).isZero();
        List<String> lines = listed.out().lines().toList();
        // The example endpoint answers nobody: measured, it is out of reach, and the list says so and goes on.
        assertThat(lines.get(1)).startsWith("  latency     unreachable (");
        assertThat(lines.stream().filter(line -> !line.startsWith("  latency"))).containsExactly(
                market.provider.address() + "  wss://mail.example.org:7443/turnpike",
                "  stake       2 ETH",
                // The only provider: the cheapest (500), staked 2 ETH (250 x 2 / 3 = 166), no latency measured.
                "  score       666",
                "  sells       mailbox at 0.000000000000002 ETH per message-byte",
                "  sells       rpc at 0.000000000001 ETH per cost unit",
                "  plan 1      0.01 ETH per 30 days",
                "  plan 2      5000000000000000000 units of token " + market.token.address() + " per 30 days");
    }

    @Test
    void latencyIsTheTimeATcpConnectionToTheEndpointTakesToOpen() throws Exception {
        try (ServerSocket endpoint = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            LatencyProbe.Result measured = LatencyProbe.probe("ws://127.0.0.1:" + endpoint.getLocalPort()
                    + "/turnpike");

            assertThat(measured.latency()).isPresent();
            assertThat(measured.description()).matches("\\d+\\.\\d ms \\(TCP connect to 127\\.0\\.0\\.1:" + endpoint.getLocalPort()
                    + "\\)");
        }
        int closed;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = gone.getLocalPort();
        }
        LatencyProbe.Result unreachable = LatencyProbe.probe("ws://127.0.0.1:" + closed);
        assertThat(unreachable.latency()).isEmpty();
        assertThat(unreachable.description()).startsWith("unreachable (");
    }

    @Test
    void withoutAMarketTheCommandSaysWhichSettingToSet() {
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        DataDirs.configure(node.home(), DataDirs.onChain(SharedAnvil.get(), 1));

        Turnpike.Result refused = Turnpike.withoutTerminal().run("providers", "--datadir",
                node.directory().toString());

        assertThat(refused.exitCode()).isEqualTo(ErrorCode.SETTING_MISSING.exitStatus());
        assertThat(refused.err()).startsWith("error [setting_missing]: ").contains("turnpike.chain.market");
    }

    @Test
    void subscribingSaysWhatItPaysAndUntilWhenPaysExactlyThatAndARenewalCountsOnFromTheExpiry() {
        MarketFixture market = MarketFixture.deploy(SharedAnvil.get());
        market.registerProvider();
        DataDirs.Initialised node = marketNode(market);
        market.deployer.transfer(node.address(), Amount.of(1_000_000_000_000_000_000L));
        Address provider = market.provider.address();
        Amount providerBefore = market.chain.balance(provider);
        Turnpike turnpike = Turnpike.withoutTerminal().variable(PassphraseSource.VARIABLE, DataDirs.PASSPHRASE);

        Turnpike.Result declined = Turnpike.withoutTerminal().terminal(new ScriptedTerminal("n")).run("subscribe",
                provider.toString(), "--plan", "1", "--months", "3", "--datadir", node.directory().toString());
        assertThat(declined.exitCode()).isEqualTo(1);
        assertThat(declined.out()).isEqualTo("Nothing was paid.\n");
        assertThat(market.market.expiresAt(node.address(), provider, 1)).isZero();

        Turnpike.Result paid = turnpike.run("subscribe", provider.toString(), "--plan", "1", "--months", "3", "--yes",
                "--datadir", node.directory().toString());

        long expiry = market.market.expiresAt(node.address(), provider, 1);
        assertThat(paid.exitCode()).as(paid.all()).isZero();
        // The question names the day; the contract counts from the block the payment landed in, seconds later.
        assertThat(paid.out()).startsWith("Pay 0.03 ETH to " + provider + " for 3 months of plan 1, until ")
                .contains(", 1/1 confirmations").contains("Subscribed until " + Instant.ofEpochSecond(expiry));
        assertThat(paid.out()).containsAnyOf(
                "until " + LocalDate.ofInstant(Instant.ofEpochSecond(expiry), ZoneOffset.UTC) + ".",
                "until " + LocalDate.ofInstant(Instant.ofEpochSecond(expiry - 60), ZoneOffset.UTC) + ".");
        assertThat(market.chain.balance(provider)).isEqualTo(providerBefore.plus(MarketFixture.MONTHLY_FEE.times(3)));

        Turnpike.Result renewed = turnpike.run("subscribe", provider.toString(), "--plan", "1", "--months", "1",
                "--yes", "--datadir", node.directory().toString());

        assertThat(renewed.exitCode()).as(renewed.all()).isZero();
        assertThat(market.market.expiresAt(node.address(), provider, 1)).isEqualTo(expiry + MarketFixture.MONTH);

        Turnpike.Result subscriptions = turnpike.run("subscriptions", "--datadir", node.directory().toString());

        assertThat(subscriptions.out()).isEqualTo(provider + "  plan 1  until "
                + Instant.ofEpochSecond(expiry + MarketFixture.MONTH) + "\n");
    }

    @Test
    void aSubscriptionInItsLastWeekOrEndedSaysHowToRenew() {
        Address provider = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        Plan plan = new Plan(1, Address.ZERO, MarketFixture.MONTHLY_FEE, MarketFixture.MONTH);
        Instant now = Instant.parse("2027-03-01T00:00:00Z");
        String renew = "renew with: turnpike subscribe " + provider + " --plan 1 --months N";

        assertThat(SubscriptionsCommand.status(now, now.plus(Duration.ofDays(8)), provider, plan))
                .isEqualTo("until 2027-03-09T00:00:00Z");
        assertThat(SubscriptionsCommand.status(now, now.plus(Duration.ofDays(7)), provider, plan))
                .isEqualTo("until 2027-03-08T00:00:00Z (ends within 7 days; " + renew + ")");
        assertThat(SubscriptionsCommand.status(now, now, provider, plan))
                .isEqualTo("ended 2027-03-01T00:00:00Z; " + renew);
    }

    private DataDirs.Initialised marketNode(MarketFixture market) {
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        DataDirs.configure(node.home(), DataDirs.onChain(SharedAnvil.get(), 1) + "\nchain.market = \""
                + market.market.address() + "\"");
        return node;
    }
}
