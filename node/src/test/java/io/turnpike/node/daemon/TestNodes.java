package io.turnpike.node.daemon;

import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.Environment;
import io.turnpike.node.NodeContext;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.fixtures.DataDirs;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Real nodes for tests: a data directory made by `turnpike init`, funded on the run's anvil, configured for
 * a contract deployed for the test, and started in this JVM (or described for a separate process).
 */
final class TestNodes {

    static final Amount ETHER = Amount.of(1_000_000_000_000_000_000L);

    final Anvil anvil;
    final ChannelsContract contract;
    private final ChainAccount funder;
    private final Path folder;

    TestNodes(Anvil anvil, Path folder) {
        this.anvil = anvil;
        this.folder = folder;
        this.funder = anvil.connect().account(anvil.devKeys().get(0));
        this.contract = ChannelsContract.deploy(funder, 60, 30L * 24 * 3600);
    }

    /** A data directory with its own key holding {@code ether} ETH. */
    DataDirs.Initialised datadir(String name, long ether) {
        DataDirs.Initialised dir = DataDirs.init(folder, name);
        funder.transfer(dir.address(), ETHER.times(ether));
        return dir;
    }

    /** A fresh key, for a peer the test drives by hand. */
    static PrivateKey newKey() {
        return PrivateKey.random(new SecureRandom());
    }

    /** {@code key} as an account on this run's chain, holding {@code ether} ETH. */
    ChainAccount account(PrivateKey key, long ether) {
        ChainAccount account = funder.chain().account(key);
        funder.transfer(account.address(), ETHER.times(ether));
        return account;
    }

    /** Writes the node's turnpike.conf: this run's chain and contract, plus {@code settings}. */
    void configure(DataDirs.Initialised dir, String settings) {
        DataDirs.configure(dir.home(), DataDirs.onChain(anvil, 1) + "\nchain.contract = \"" + contract.address()
                + "\"\n" + settings);
    }

    TurnpikeNode start(DataDirs.Initialised dir) {
        NodeContext context = dir.home().open(new Environment(Map.of(), Map.of(), Optional.empty()),
                () -> DataDirs.PASSPHRASE);
        return TurnpikeNode.start(context, Clock.systemUTC());
    }

    /** Settings for a provider relaying to loopback targets (the test's own HTTP server). */
    static String provider(int peerPort, int relayPort, String pricePerByte, String threshold, long freeTierRate) {
        return "peer { bind = \"127.0.0.1\", port = " + peerPort + " }\n"
                + DemoNodes.provider(relayPort, pricePerByte, threshold, "statement-interval = 1s",
                "free-tier-rate = " + freeTierRate);
    }

    /** Settings for a client buying from the provider at {@code providerPeerPort}, through a channel. */
    static String client(Address provider, int providerPeerPort, int providerRelayPort, int peerPort, int socksPort,
                         String payInterval) {
        return client(provider, providerPeerPort, providerRelayPort, peerPort, socksPort, payInterval, "channel");
    }

    /** Settings for a client buying from the provider at {@code providerPeerPort}, paying by {@code settlement}. */
    static String client(Address provider, int providerPeerPort, int providerRelayPort, int peerPort, int socksPort,
                         String payInterval, String settlement) {
        return "peer { bind = \"127.0.0.1\", port = " + peerPort + " }\n"
                + "client { providers = [{url = \"ws://127.0.0.1:" + providerPeerPort + "\", address = \"" + provider
                + "\", relay = \"127.0.0.1:" + providerRelayPort + "\", settlement = \"" + settlement + "\"}], socks-port = "
                + socksPort + ", deposit = \"1\", pay-interval = " + payInterval + " }";
    }
}
