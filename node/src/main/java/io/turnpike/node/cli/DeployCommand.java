package io.turnpike.node.cli;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.ChainEndpoints;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code turnpike deploy}: puts a TurnpikeChannels contract on the configured chain from this node's wallet and
 * writes its address into the data directory's turnpike.conf, so the node can start. Every node that pays or is
 * paid through channels must use the same contract: deploy once, then give the address to the others.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = "Deploy the TurnpikeChannels contract from this node's wallet and set turnpike.chain.contract; "
                + "with --market, the TurnpikeMarket contract (the registry of providers and their plans) and set "
                + "turnpike.chain.market.")
final class DeployCommand extends HomeCommand {

    /** Below this a partner has too little time to answer a stale close; above it funds are locked too long. */
    static final Duration DEFAULT_MIN_CHALLENGE = Duration.ofMinutes(1);
    static final Duration DEFAULT_MAX_CHALLENGE = Duration.ofDays(30);

    @Option(names = "--min-challenge-period", paramLabel = "SECONDS",
            description = "The shortest challenge period a channel on this contract may choose (default: 60).")
    long minChallenge = DEFAULT_MIN_CHALLENGE.toSeconds();

    @Option(names = "--max-challenge-period", paramLabel = "SECONDS",
            description = "The longest challenge period a channel may choose (default: 30 days).")
    long maxChallenge = DEFAULT_MAX_CHALLENGE.toSeconds();

    /** How long a provider's stake stays locked after it announces leaving: long enough to answer for its service. */
    static final Duration DEFAULT_STAKE_DELAY = Duration.ofDays(7);

    @Option(names = "--market", description = "Deploy TurnpikeMarket instead of TurnpikeChannels.")
    boolean market;

    @Option(names = "--stake-delay", paramLabel = "SECONDS",
            description = "With --market: how long a provider's stake stays locked after it announces it is leaving "
                    + "(default: 7 days).")
    long stakeDelay = DEFAULT_STAKE_DELAY.toSeconds();

    @Option(names = "--yes", description = "Deploy without asking for confirmation.")
    boolean yes;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        if (market && stakeDelay < 1) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the stake delay must be at least 1 second; got "
                    + stakeDelay);
        }
        if (minChallenge < 1 || maxChallenge < minChallenge) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the challenge periods must satisfy 1 <= min <= "
                    + "max; got " + minChallenge + " and " + maxChallenge + " seconds");
        }
        requireConfirmable(yes, "deployment");
        Keystore keystore = home.keystore();
        PrintWriter out = out();
        try (Chain chain = ChainEndpoints.connect(config.chain())) {
            out.println("Deploy " + (market ? "TurnpikeMarket" : "TurnpikeChannels"));
            out.println("  from   " + keystore.address() + " (pays the gas, about 2,000,000)");
            out.println("  on     chain " + chain.chainId());
            out.println(market ? "  stake delay  " + stakeDelay + " s"
                    : "  challenge periods  " + minChallenge + " s to " + maxChallenge + " s");
            out.flush();
            if (!yes && !confirmed("Deploy it?")) {
                out.println("Nothing was deployed.");
                return 1;
            }
            PrivateKey key = keystore.unlock(passphrase.source(environment())
                    .toUnlock("the keystore of " + keystore.address()));
            if (market) {
                Address registry = MarketContract.deploy(chain.account(key), stakeDelay).address();
                setMarket(home, registry);
                out.println("Deployed at " + registry + "; turnpike.chain.market is set in " + home.configFile() + ".");
                out.println("Give this address to every node that lists or registers providers in it "
                        + "(turnpike.chain.market).");
                return 0;
            }
            long block = Math.max(1, chain.head()); // block numbers to watch count from 1
            ChannelsContract contract = ChannelsContract.deploy(chain.account(key), minChallenge, maxChallenge);
            setContract(home, contract.address(), block);
            out.println("Deployed at " + contract.address() + "; turnpike.chain.contract is set in "
                    + home.configFile() + ".");
            out.println("Give this address to every node that pays or is paid through it (turnpike.chain.contract).");
        }
        return 0;
    }

    /** Appends the contract to the operator's file: later settings override earlier ones in HOCON. */
    static void setContract(NodeHome home, Address contract, long deployedFrom) {
        append(home, "\n# Set by 'turnpike deploy': the TurnpikeChannels contract, and the block to read its events"
                + " from.\nturnpike.chain.contract = \"" + contract + "\"\nturnpike.chain.watch-from-block = "
                + deployedFrom + "\n");
    }

    static void setMarket(NodeHome home, Address market) {
        append(home, "\n# Set by 'turnpike deploy --market': the TurnpikeMarket contract.\nturnpike.chain.market = \""
                + market + "\"\n");
    }

    private static void append(NodeHome home, String settings) {
        try {
            Files.writeString(home.configFile(), settings, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + home.configFile() + ": " + e.getMessage(), e);
        }
    }
}
