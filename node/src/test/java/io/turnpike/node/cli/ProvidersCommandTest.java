package io.turnpike.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.market.MarketFixture;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Turnpike;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `turnpike providers` reads a real TurnpikeMarket on anvil, as a client choosing a provider would. */
class ProvidersCommandTest {

    @TempDir
    Path dir;

    @Test
    void eachRegisteredProviderIsListedWithItsEndpointStakeServicesAndPlans() {
        MarketFixture market = MarketFixture.deploy(SharedAnvil.get());
        market.registerProvider();
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        DataDirs.configure(node.home(), DataDirs.onChain(SharedAnvil.get(), 1) + "\nchain.market = \""
                + market.market.address() + "\"");

        Turnpike.Result listed = Turnpike.withoutTerminal().run("providers", "--datadir", node.directory().toString());

        assertThat(listed.exitCode()).as(listed.all()).isZero();
        assertThat(listed.out().lines()).containsExactly(
                market.provider.address() + "  wss://mail.example.org:7443/turnpike",
                "  stake       2 ETH",
                "  sells       mailbox at 0.000000000000002 ETH per message-byte",
                "  sells       rpc at 0.000000000001 ETH per cost unit",
                "  plan 1      0.01 ETH per 30 days",
                "  plan 2      5000000000000000000 units of token " + market.token.address() + " per 30 days");
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
}
