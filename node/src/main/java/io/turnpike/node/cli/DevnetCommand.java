package io.turnpike.node.cli;

import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.NodeHome;
import io.turnpike.node.demo.DemoNodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code turnpike devnet}: a local chain to try Turnpike on by hand — an anvil that mines a block every second (so
 * confirmations and challenge periods move on their own), the TurnpikeChannels contract, and two funded data
 * directories, a provider and a client, on distinct ports; it prints the commands that start both and runs until
 * Ctrl-C. Development only: the keys' passphrase is written next to them.
 */
@Command(name = "devnet", mixinStandardHelpOptions = true,
        description = "Start a local chain with the contract and two funded data directories, and print how to run "
                + "a provider and a client on it (development only; runs until Ctrl-C).")
final class DevnetCommand implements Callable<Integer> {

    static final long CHAIN_ID = 31337;
    private static final Amount FUNDING = Amount.of(100).times(1_000_000_000_000_000_000L);

    @Spec
    CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "devnet",
            description = "Where the two data directories go (default: ./devnet); it must not exist yet.")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8545",
            description = "The chain's JSON-RPC port on loopback (default: ${DEFAULT-VALUE}).")
    int port;

    /** Ports of the provider's and the client's API, peer listener, relay and local entry: none shared. */
    record Ports(int providerApi, int providerPeer, int relay, int clientApi, int clientPeer, int socks) {
        static final Ports DEFAULT = new Ports(8645, 8646, 8647, 8655, 8656, 1080);
    }

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        if (Files.exists(dir)) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, dir
                    + " exists already; give another --dir, or remove it to start a fresh development network");
        }
        try (Anvil anvil = Anvil.mining(CHAIN_ID, dir.resolve("chain.json"), port, Duration.ofSeconds(1))) {
            Devnet devnet = Devnet.create(anvil, dir, Ports.DEFAULT);
            out.println("Development network on " + anvil.rpcUrl() + " (chain id " + CHAIN_ID + ", a block a second)");
            out.println("  contract  " + devnet.contract());
            out.println("  market    " + devnet.market());
            out.println("  provider  " + devnet.provider().directory() + "  (sells bandwidth, relay on 127.0.0.1:"
                    + Ports.DEFAULT.relay() + ")");
            out.println("  client    " + devnet.client().directory() + "  (buys it, SOCKS5 entry on 127.0.0.1:"
                    + Ports.DEFAULT.socks() + ")");
            out.println();
            out.println("In two more terminals:");
            out.println("  ./turnpike node --datadir " + devnet.provider().directory() + " --passphrase-file "
                    + devnet.passphraseFile(devnet.provider()));
            out.println("  ./turnpike node --datadir " + devnet.client().directory() + " --passphrase-file "
                    + devnet.passphraseFile(devnet.client()));
            out.println("Then: ./turnpike peers --datadir " + devnet.client().directory()
                    + "   and   curl --socks5-hostname 127.0.0.1:" + Ports.DEFAULT.socks() + " http://…");
            out.println("Ctrl-C stops the chain; the data directories stay in " + dir + ".");
            out.flush();
            Thread.currentThread().join(); // until Ctrl-C; the anvil goes with the JVM
        }
        return 0;
    }

    /**
     * What {@code turnpike devnet} sets up on a running chain: the channel contract, the market, and two configured
     * data directories.
     */
    record Devnet(String contract, String market, NodeHome provider, NodeHome client) {

        static Devnet create(Anvil anvil, Path dir, Ports ports) {
            ChainAccount funder = anvil.connect().account(anvil.devKeys().get(0));
            long from = Math.max(1, funder.chain().head()); // block numbers to watch count from 1
            ChannelsContract channels = ChannelsContract.deploy(funder, DeployCommand.DEFAULT_MIN_CHALLENGE.toSeconds(),
                    DeployCommand.DEFAULT_MAX_CHALLENGE.toSeconds());
            MarketContract market = MarketContract.deploy(funder, DeployCommand.DEFAULT_STAKE_DELAY.toSeconds());
            SecureRandom random = new SecureRandom();
            NodeHome provider = DemoNodes.home(dir.resolve("provider"), funder, FUNDING, random);
            NodeHome client = DemoNodes.home(dir.resolve("client"), funder, FUNDING, random);
            String chain = "chain { id = " + anvil.chainId() + ", rpc-urls = [\"" + anvil.rpcUrl() + "\"], contract = \""
                    + channels.address() + "\", market = \"" + market.address() + "\", watch-from-block = " + from
                    + ", confirmations = 2 }\n";
            DemoNodes.configure(provider, chain + "api.port = " + ports.providerApi() + "\n"
                    + "peer { bind = \"127.0.0.1\", port = " + ports.providerPeer() + " }\n"
                    // Loopback targets allowed: on a development network the thing to fetch often runs locally.
                    + "provider { enabled = true, services.bandwidth { relay-bind = \"127.0.0.1\", relay-port = "
                    + ports.relay() + ", allow-private-targets = true } }");
            DemoNodes.configure(client, chain + "api.port = " + ports.clientApi() + "\n"
                    + "peer { bind = \"127.0.0.1\", port = " + ports.clientPeer() + " }\n"
                    + "client { providers = [{url = \"ws://127.0.0.1:" + ports.providerPeer() + "\", address = \""
                    + provider.keystore().address() + "\", relay = \"127.0.0.1:" + ports.relay() + "\"}], socks-port = "
                    + ports.socks() + ", deposit = \"1\", challenge-period = 2m }");
            Devnet devnet = new Devnet(channels.address().toString(), market.address().toString(), provider, client);
            devnet.writePassphrase(provider);
            devnet.writePassphrase(client);
            return devnet;
        }

        Path passphraseFile(NodeHome home) {
            return home.directory().resolve("passphrase");
        }

        private void writePassphrase(NodeHome home) {
            try {
                Files.writeString(passphraseFile(home), DemoNodes.PASSPHRASE + "\n");
                Files.setPosixFilePermissions(passphraseFile(home),
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
