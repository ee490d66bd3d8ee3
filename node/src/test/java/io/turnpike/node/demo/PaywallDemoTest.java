package io.turnpike.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.node.cli.TurnpikeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaywallDemoTest {

    @Test
    void theProviderEndsWithExactlyWhatBothSchemesPaidAndEachPayerLosesOnlyThatAndItsGas(@TempDir Path work)
            throws InterruptedException {
        PaywallDemo.Result result = new PaywallDemo(SharedAnvil.get(), work,
                new PrintStream(new ByteArrayOutputStream())).run(3, 30);

        assertThat(result.exactRequests()).isEqualTo(3);
        assertThat(result.exactPaid()).isEqualTo(PaywallNodes.PRICE.times(3));
        assertThat(result.channelPaid()).isEqualTo(PaywallNodes.PRICE.times(30));
        PaywallDemo.Party provider = result.provider();
        assertThat(provider.tokensAfter()).isEqualTo(PaywallNodes.PRICE.times(33));
        assertThat(result.client().tokensAfter()).isEqualTo(result.client().tokensBefore().minus(result.channelPaid()));
        assertThat(result.x402Payer().tokensAfter()).isEqualTo(Amount.ZERO);
        assertThat(provider.gas().isZero()).as("the provider sends the exact settlements").isFalse();
        assertThat(provider.etherAfter()).isEqualTo(provider.etherBefore().minus(provider.gas()));
        assertThat(result.x402Payer().etherAfter()).as("an x402 payer needs no ether").isEqualTo(Amount.ZERO);
        assertThat(result.balancesCheckOut()).isTrue();
    }

    @Test
    void demoCommandRunsThePaywallScenarioOnItsOwnChainAndExitsZero() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = TurnpikeCommand.commandLine().execute("demo", "--scenario", "paywall", "--requests", "20",
                    "--exact-requests", "2");
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        assertThat(printed).contains("HTTP 402").contains("\"scheme\" : \"turnpike-channel\"")
                .contains("\"scheme\" : \"exact\"").contains("transaction 0x").contains("exact:   2 requests")
                .contains("channel: 20 requests").contains("Balances check out to the wei.");
    }
}
