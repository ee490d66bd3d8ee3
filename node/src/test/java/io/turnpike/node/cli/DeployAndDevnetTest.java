package io.turnpike.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.Environment;
import io.turnpike.node.daemon.Downloads;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Funds;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.service.BandwidthService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From nothing to a contract and two nodes paying each other, the way docs/quickstart.md walks a newcomer through. */
class DeployAndDevnetTest {

    @TempDir
    Path dir;

    @Test
    void deployPutsTheContractOnChainAndIntoTheDataDirectorysSettings() {
        Anvil anvil = SharedAnvil.get();
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        try (Funds funds = new Funds(anvil)) {
            funds.sendEther(node.address(), "1");
        }
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));

        Turnpike.Result deployed = Turnpike.withoutTerminal().run("deploy", "--yes", "--datadir",
                node.directory().toString(), "--passphrase-file", node.passphraseFile().toString());

        assertThat(deployed.exitCode()).as(deployed.all()).isZero();
        Address contract = node.home().loadConfig(new Environment(Map.of(), Map.of(), Optional.empty())).chain()
                .contract().orElseThrow();
        assertThat(deployed.out()).contains("Deployed at " + contract);
        // The address holds TurnpikeChannels: it answers with the EIP-712 domain of this chain and address.
        ChannelsContract channels = ChannelsContract.at(anvil.connect(), contract);
        assertThat(channels.domainSeparator()).isEqualTo(channels.domain().separator());
    }

    @Test
    void deployWithMarketPutsTheRegistryOnChainAndIntoTheSettings() {
        Anvil anvil = SharedAnvil.get();
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        try (Funds funds = new Funds(anvil)) {
            funds.sendEther(node.address(), "1");
        }
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));

        Turnpike.Result deployed = Turnpike.withoutTerminal().run("deploy", "--market", "--yes", "--datadir",
                node.directory().toString(), "--passphrase-file", node.passphraseFile().toString());

        assertThat(deployed.exitCode()).as(deployed.all()).isZero();
        Address market = node.home().loadConfig(new Environment(Map.of(), Map.of(), Optional.empty())).chain()
                .market().orElseThrow();
        assertThat(deployed.out()).contains("Deploy TurnpikeMarket", "stake delay  604800 s", "Deployed at " + market);
        // The address holds TurnpikeMarket: a registry with nobody in it yet.
        assertThat(MarketContract.at(anvil.connect(), market).providers()).isEmpty();
    }

    @Test
    void withoutATerminalDeployAsksForYesAndDeploysNothing() {
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        DataDirs.configure(node.home(), DataDirs.onChain(SharedAnvil.get(), 1));

        Turnpike.Result refused = Turnpike.withoutTerminal().run("deploy", "--datadir", node.directory().toString());

        assertThat(refused.exitCode()).isEqualTo(ErrorCode.CONFIRMATION_UNAVAILABLE.exitStatus());
        assertThat(refused.err()).contains("confirmation_unavailable", "--yes");
    }

    @Test
    void theDevnetsProviderAndClientPayEachOtherForWhatTheClientFetches() throws Exception {
        DevnetCommand.Ports ports = new DevnetCommand.Ports(FreePort.take(), FreePort.take(), FreePort.take(),
                FreePort.take(), FreePort.take(), FreePort.take());
        try (Anvil anvil = Anvil.mining(DevnetCommand.CHAIN_ID, null, FreePort.take(), Duration.ofSeconds(1));
             Downloads target = new Downloads(64 * 1024)) {
            DevnetCommand.Devnet devnet = DevnetCommand.Devnet.create(anvil, dir.resolve("devnet"), ports);
            // Both nodes know the market, so the client's dashboard can list providers and subscribe.
            assertThat(MarketContract.at(anvil.connect(), Address.of(devnet.market())).providers()).isEmpty();
            TurnpikeNode provider = DemoNodes.start(devnet.provider(), false);
            TurnpikeNode client = DemoNodes.start(devnet.client(), false);
            try {
                DemoNodes.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(),
                        Duration.ofSeconds(60));

                assertThat(target.fetchThrough(ports.socks())).isEqualTo(64 * 1024);

                // Both books agree once the provider's receipt for the last payment is back at the client.
                DemoNodes.await(() -> {
                    var atProvider = provider.provider().orElseThrow().views().getFirst();
                    var atClient = client.payments().orElseThrow().views().getFirst();
                    return !atProvider.used().isLessThan(Amount.of(64 * 1024)) && atClient.owed().isZero()
                            && atProvider.paid().equals(atProvider.used()) && atClient.paid().equals(atProvider.paid());
                }, Duration.ofSeconds(60));
            } finally {
                DemoNodes.stop(client);
                DemoNodes.stop(provider);
            }
        }
    }
}
