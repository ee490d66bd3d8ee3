package io.turnpike.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.node.cli.TurnpikeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RpcDemoTest {

    /** A client's line in the summary after the load: its tier and capacity, and the requests it was answered. */
    private static final Pattern SERVED = Pattern.compile(
            "(paying|free \\d) +0x\\p{XDigit}{40}: (paid|free) at (\\d+) units/s, (\\d+) requests answered");

    @Test
    void demoCommandRunsTheRpcScenarioOnItsOwnChainChecksEveryLedgerAndBalanceToTheWeiAndExitsZero() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = TurnpikeCommand.commandLine().execute("demo", "--scenario", "rpc", "--seconds", "6");
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();

        // The paying client holds the seat; the free ones share the spare it leaves equally, each far slower.
        long freeShare = Math.min(RpcNodes.FREE_CAPACITY,
                (RpcNodes.TOTAL_CAPACITY - RpcNodes.PAID_CAPACITY) / RpcDemo.FREE_CLIENTS);
        Matcher served = SERVED.matcher(printed);
        long payingAnswered = 0;
        long mostFreeAnswered = 0;
        int clients = 0;
        while (served.find()) {
            clients++;
            boolean paying = served.group(1).equals("paying");
            assertThat(served.group(2)).as(served.group()).isEqualTo(paying ? "paid" : "free");
            assertThat(Long.parseLong(served.group(3))).as(served.group())
                    .isEqualTo(paying ? RpcNodes.PAID_CAPACITY : freeShare);
            long answered = Long.parseLong(served.group(4));
            assertThat(answered).as(served.group()).isPositive();
            if (paying) {
                payingAnswered = answered;
            } else {
                mostFreeAnswered = Math.max(mostFreeAnswered, answered);
            }
        }
        assertThat(clients).as(printed).isEqualTo(4);
        assertThat(payingAnswered).as(printed).isGreaterThan(mostFreeAnswered);

        // cast through the paying client's entry got anvil's own answers (the demo stops otherwise).
        assertThat(printed).contains("$ cast block-number --rpc-url http://127.0.0.1:")
                .contains("$ cast balance 0x").contains("the same as anvil's own answer");
        // Every client's ledger agrees on both sides and with its channel; the settle and the gas explain the ether.
        assertThat(printed.lines().filter(line -> line.startsWith("  OK       ")
                && line.contains("(provider) | channel carries"))).hasSize(4);
        assertThat(printed).doesNotContain("MISMATCH").contains("the provider's income: ")
                .contains("OK       provider: after = before + channel")
                .contains("OK       paying client: after = before - channel")
                .contains("Balances check out to the wei.");
    }
}
