package io.turnpike.node.cli;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.node.demo.BandwidthDemo;
import io.turnpike.node.demo.ChannelDemo;
import io.turnpike.node.demo.CheatDemo;
import io.turnpike.node.demo.MailboxDemo;
import io.turnpike.node.demo.PaywallDemo;
import io.turnpike.node.demo.RpcDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `turnpike demo`: the whole money path on a throw-away local chain. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local anvil and show Turnpike end to end; checks the final on-chain balances to the wei "
                + "and leaves nothing running. Scenarios: bandwidth (default: a provider node and a client node, "
                + "paid relay, cooperative settle), channel (two keys, one channel, a stream of signed payments), "
                + "cheat (the client closes with a stale state while the provider is offline; its watchtower answers), "
                + "paywall (an HTTP API behind a provider node's x402 paywall, paid with exact by the x402 npm client "
                + "and through a channel by a client node), mailbox (a paid mail server: subscribe in the market, "
                + "sealed mail read after the sender left, expiry, renewal), rpc (paid JSON-RPC before anvil: one paying "
                + "client and free ones load a provider's front, each one's tier, capacity and requests/s live, cast "
                + "through the paying client's entry).")
final class DemoCommand implements Callable<Integer> {

    enum Scenario { bandwidth, channel, cheat, paywall, mailbox, rpc }

    @Option(names = "--scenario", defaultValue = "bandwidth", description = "bandwidth, channel, cheat, paywall, mailbox or rpc (default: ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(names = "--megabytes", defaultValue = "24", description = "bandwidth, cheat: MiB to fetch through the relay (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--payments", defaultValue = "1000", description = "channel: off-chain payments to stream (default: ${DEFAULT-VALUE}).")
    int payments;

    @Option(names = "--requests", defaultValue = "500", description = "paywall: requests the client node pays through its channel (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--exact-requests", defaultValue = "20", description = "paywall: requests the x402 client pays with exact (default: ${DEFAULT-VALUE}).")
    int exactRequests;

    @Option(names = "--seconds", defaultValue = "12", description = "rpc: seconds the clients load the front (default: ${DEFAULT-VALUE}).")
    int seconds;

    /** A scenario that keeps its nodes' data directories in a folder of its own; true if the balances check out. */
    private interface NodesScenario {
        boolean run(Path work) throws Exception;
    }

    @Override
    public Integer call() throws Exception {
        // The nodes' own log lines would interleave with the demo's figures.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try (Anvil anvil = Anvil.start(31337)) {
            boolean checksOut = switch (scenario) {
                case channel -> new ChannelDemo(anvil, System.out).run(payments).balancesCheckOut();
                case bandwidth -> inWorkDirectory(
                        work -> new BandwidthDemo(anvil, work, System.out).run(megabytes).balancesCheckOut());
                case cheat -> inWorkDirectory(
                        work -> new CheatDemo(anvil, work, System.out).run(megabytes).balancesCheckOut());
                case paywall -> inWorkDirectory(work -> new PaywallDemo(anvil, work, System.out)
                        .run(exactRequests, requests).balancesCheckOut());
                case mailbox -> inWorkDirectory(work -> new MailboxDemo(anvil, work, System.out).run()
                        .balancesCheckOut());
                case rpc -> inWorkDirectory(work -> new RpcDemo(anvil, work, System.out).run(seconds)
                        .balancesCheckOut());
            };
            return checksOut ? 0 : 1;
        }
    }

    private static boolean inWorkDirectory(NodesScenario scenario) throws Exception {
        Path work = Files.createTempDirectory("turnpike-demo");
        try {
            return scenario.run(work);
        } finally {
            FileTrees.delete(work);
        }
    }
}
