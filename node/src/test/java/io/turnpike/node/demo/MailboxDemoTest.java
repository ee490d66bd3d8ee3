package io.turnpike.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.node.cli.TurnpikeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MailboxDemoTest {

    @Test
    void bobReadsAliceSealedMailIsRefusedAfterExpiryWithTheRenewalAndPaysExactlyFourMonths(@TempDir Path work)
            throws InterruptedException {
        MailboxDemo.Result result;
        try (Anvil anvil = Anvil.start(SharedAnvil.CHAIN_ID)) { // its own: the demo moves the chain's clock by months
            result = new MailboxDemo(anvil, work, new PrintStream(new ByteArrayOutputStream())).run();
        }

        assertThat(result.bobRead()).hasSize(2);
        assertThat(result.bobRead().get(0)).contains(MailboxDemo.FIRST).doesNotContain(MailboxDemo.SECOND);
        assertThat(result.bobRead().get(1)).contains(MailboxDemo.SECOND).doesNotContain(MailboxDemo.FIRST);
        assertThat(result.refusal()).startsWith("error [subscription_expired]: ")
                .contains("turnpike subscribe ").contains("--plan " + MailboxNodes.PLAN + " --months N");
        assertThat(result.paid()).isEqualTo(MailboxNodes.MONTHLY_FEE.times(4));
        assertThat(result.providerAfter()).isEqualTo(result.providerBefore().plus(result.paid()));
        assertThat(result.bobGas().isZero()).as("Bob sent two subscriptions").isFalse();
        assertThat(result.bobAfter()).isEqualTo(result.bobBefore().minus(result.paid()).minus(result.bobGas()));
        assertThat(result.balancesCheckOut()).isTrue();
    }

    @Test
    void demoCommandRunsTheMailboxScenarioOnItsOwnChainAndExitsZero() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = TurnpikeCommand.commandLine().execute("demo", "--scenario", "mailbox");
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("plan 1      0.01 ETH per 30 days").contains("Pay 0.03 ETH to ")
                .contains(MailboxDemo.FIRST).contains("error [subscription_expired]")
                .contains(MailboxDemo.SECOND).contains("Balances check out to the wei.");
    }
}
