package io.turnpike.tower;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.node.cli.TurnpikeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code ./turnpike demo --scenario cheat} as a user runs it: its own anvil, the tower as a separate process built
 * from this module, the provider offline while the client closes with a stale state. It lives here, not beside the
 * node's other demos, because it needs this module built.
 */
class CheatDemoTest {

    @Test
    void theTowerOverturnsTheCheatingCloseAndEveryPartysBalanceChecksOutToTheWei() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = TurnpikeCommand.commandLine().execute("demo", "--scenario", "cheat", "--megabytes", "4");
        } finally {
            System.setOut(original);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(output).isZero();
        assertThat(output).contains(
                "The client cheats",
                "the chain now counts the client as having paid 0 ETH",
                "the tower 0x",
                "OK       client: after = before - paid - gas",
                "OK       provider: after = before + paid - reward - gas",
                "OK       tower: after = before + reward - gas",
                "Balances check out to the wei.");
    }
}
