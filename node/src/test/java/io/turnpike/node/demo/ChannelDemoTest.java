package io.turnpike.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.core.Amount;
import io.turnpike.node.cli.TurnpikeCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChannelDemoTest {

    @Test
    void providerEndsWithExactlyTheStreamedPaymentsAndEachPartyOnlyLosesItsGas() {
        int payments = 40;
        ChannelDemo.Result result = new ChannelDemo(SharedAnvil.get(), new PrintStream(new ByteArrayOutputStream()))
                .run(payments);

        Amount streamed = Amount.ZERO;
        for (int nonce = 1; nonce <= payments; nonce++) {
            streamed = streamed.plus(Amount.of(42_000_000_000_000L + 1_337L * nonce));
        }
        assertThat(result.paid()).isEqualTo(streamed);
        assertThat(result.provider().tokensAfter()).isEqualTo(result.provider().tokensBefore().plus(streamed));
        assertThat(result.client().tokensAfter()).isEqualTo(result.client().tokensBefore().minus(streamed));
        assertThat(result.client().gasSpent().isZero()).isFalse();
        assertThat(result.client().etherAfter()).isEqualTo(result.client().etherBefore().minus(result.client().gasSpent()));
        assertThat(result.provider().etherAfter())
                .isEqualTo(result.provider().etherBefore().minus(result.provider().gasSpent()));
        assertThat(result.balancesCheckOut()).isTrue();
    }

    @Test
    void demoCommandRunsOnItsOwnChainAndExitsZero() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exit = TurnpikeCommand.commandLine().execute("demo", "--payments", "20");
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isZero();
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("Balances check out to the wei.");
    }
}
