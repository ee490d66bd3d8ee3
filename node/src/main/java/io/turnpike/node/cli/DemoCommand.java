package io.turnpike.node.cli;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.node.demo.ChannelDemo;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `turnpike demo`: the whole money path on a throw-away local chain. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local anvil, deploy the contracts, and have two parties pay each other over a "
                + "channel; checks the final on-chain balances to the wei. Leaves nothing running.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--payments", defaultValue = "1000", description = "Off-chain payments to stream (default: ${DEFAULT-VALUE}).")
    int payments;

    @Override
    public Integer call() {
        try (Anvil anvil = Anvil.start(31337)) {
            ChannelDemo.Result result = new ChannelDemo(anvil, System.out).run(payments);
            return result.balancesCheckOut() ? 0 : 1;
        }
    }
}
