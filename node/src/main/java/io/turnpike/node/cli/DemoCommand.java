package io.turnpike.node.cli;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.node.demo.BandwidthDemo;
import io.turnpike.node.demo.ChannelDemo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `turnpike demo`: the whole money path on a throw-away local chain. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local anvil and show Turnpike end to end; checks the final on-chain balances to the wei "
                + "and leaves nothing running. Scenarios: bandwidth (default: a provider node and a client node, "
                + "paid relay, cooperative settle), channel (two keys, one channel, a stream of signed payments).")
final class DemoCommand implements Callable<Integer> {

    enum Scenario { bandwidth, channel }

    @Option(names = "--scenario", defaultValue = "bandwidth", description = "bandwidth or channel (default: ${DEFAULT-VALUE}).")
    Scenario scenario;

    @Option(names = "--megabytes", defaultValue = "24", description = "bandwidth: MiB to fetch through the relay (default: ${DEFAULT-VALUE}).")
    int megabytes;

    @Option(names = "--payments", defaultValue = "1000", description = "channel: off-chain payments to stream (default: ${DEFAULT-VALUE}).")
    int payments;

    @Override
    public Integer call() throws IOException, InterruptedException {
        // The nodes' own log lines would interleave with the demo's figures.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        try (Anvil anvil = Anvil.start(31337)) {
            return switch (scenario) {
                case channel -> new ChannelDemo(anvil, System.out).run(payments).balancesCheckOut() ? 0 : 1;
                case bandwidth -> {
                    Path work = Files.createTempDirectory("turnpike-demo");
                    try {
                        yield new BandwidthDemo(anvil, work, System.out).run(megabytes).balancesCheckOut() ? 0 : 1;
                    } finally {
                        try (Stream<Path> files = Files.walk(work)) {
                            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                        }
                    }
                }
            };
        }
    }
}
