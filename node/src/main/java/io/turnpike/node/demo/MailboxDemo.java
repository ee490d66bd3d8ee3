package io.turnpike.node.demo;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.mailbox.Access;
import io.turnpike.node.Environment;
import io.turnpike.node.NodeHome;
import io.turnpike.node.cli.TurnpikeCommand;
import io.turnpike.node.wallet.PassphraseSource;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The mailbox demo: a mail-server operator's node registers in the market with a monthly fee; Bob lists the providers
 * with their fees and subscribes for 3 months; Alice sends Bob mail sealed to his key while he is offline; Bob comes
 * online and reads it. The chain's clock is moved past the expiry: Alice's next letter is refused with the command
 * that renews, while Bob can still read; Bob renews and is served again. Everyone acts through the {@code turnpike}
 * commands, and the ether moved is checked to the wei.
 */
public final class MailboxDemo {

    /** What each party's ether did, and whether it is what the subscriptions and the gas explain. */
    public record Result(Amount paid, Amount providerBefore, Amount providerAfter, Amount bobBefore, Amount bobAfter,
                         Amount bobGas, List<String> bobRead, String refusal) {
        public boolean balancesCheckOut() {
            return providerAfter.equals(providerBefore.plus(paid))
                    && bobAfter.equals(bobBefore.minus(paid).minus(bobGas));
        }
    }

    /** What one command printed, and how it exited. */
    private record Ran(int exitCode, String out, String err) {
    }

    static final String FIRST = "Bob, the keys are under the blue flowerpot. Alice";
    static final String SECOND = "Bob, did you find them? Alice";

    private final Anvil anvil;
    private final Path workDir;
    private final PrintStream out;

    public MailboxDemo(Anvil anvil, Path workDir, PrintStream out) {
        this.anvil = anvil;
        this.workDir = workDir;
        this.out = out;
    }

    public Result run() throws InterruptedException {
        step("Deploying TurnpikeChannels and TurnpikeMarket on anvil, chain id " + anvil.chainId() + "; the provider "
                + "registers plan " + MailboxNodes.PLAN + " at " + Asset.ETH.format(MailboxNodes.MONTHLY_FEE)
                + " a month and starts its node");
        try (MailboxNodes nodes = MailboxNodes.start(anvil, workDir, 1, "")) {
            Address provider = nodes.providerAddress();
            Address bob = nodes.bob.keystore().address();
            String mailbox = nodes.mailbox().toString();
            Amount providerBefore = nodes.chain.balance(provider);
            Amount bobBefore = nodes.chain.balance(bob);

            step("Bob lists the providers in the market, with their fees");
            turnpike(nodes.bob, "providers");
            step("Bob subscribes to plan " + MailboxNodes.PLAN + " for 3 months");
            turnpike(nodes.bob, "subscribe", provider.toString(), "--plan", Long.toString(MailboxNodes.PLAN),
                    "--months", "3", "--yes");
            DemoNodes.await(() -> nodes.access(bob) instanceof Access.Open, Duration.ofSeconds(30));
            step("Bob checks his mailbox once (the provider learns his public key from his signature), then goes "
                    + "offline");
            turnpike(nodes.bob, "mail", "fetch", "--provider", mailbox);

            step("Alice sends Bob a letter, sealed to his key: the provider stores ciphertext only");
            turnpike(nodes.alice, "mail", "send", bob.toString(), "--file", letter("first", FIRST), "--provider",
                    mailbox);
            step("Bob comes online and reads his mail");
            List<String> read = new ArrayList<>();
            read.add(turnpike(nodes.bob, "mail", "fetch", "--provider", mailbox).out());

            long expiry = nodes.expiresAt(bob);
            step("Moving the chain's clock past the subscription's end, " + Instant.ofEpochSecond(expiry));
            nodes.travelTo(expiry + 60);
            DemoNodes.await(() -> nodes.access(bob) instanceof Access.Grace, Duration.ofSeconds(30));
            step("Alice writes again: the provider refuses, and says how Bob renews");
            Ran refused = run(nodes.alice, "mail", "send", bob.toString(), "--file", letter("second", SECOND),
                    "--provider", mailbox);
            if (refused.exitCode() == 0) {
                throw new IllegalStateException("the provider took mail for an expired subscription");
            }
            String refusal = refused.err();
            step("Bob can still read his mailbox during the " + MailboxNodes.GRACE.toDays() + "-day grace period");
            turnpike(nodes.bob, "mail", "fetch", "--provider", mailbox);

            step("Bob renews for a month; the provider serves him again");
            turnpike(nodes.bob, "subscribe", provider.toString(), "--plan", Long.toString(MailboxNodes.PLAN),
                    "--months", "1", "--yes");
            DemoNodes.await(() -> nodes.access(bob) instanceof Access.Open, Duration.ofSeconds(30));
            turnpike(nodes.alice, "mail", "send", bob.toString(), "--file", letter("second", SECOND), "--provider",
                    mailbox);
            read.add(turnpike(nodes.bob, "mail", "fetch", "--provider", mailbox).out());
            turnpike(nodes.bob, "subscriptions");

            Result result = new Result(MailboxNodes.MONTHLY_FEE.times(4), providerBefore,
                    nodes.chain.balance(provider), bobBefore, nodes.chain.balance(bob), nodes.gasSpent(bob), read,
                    refusal);
            step("Balances");
            out.println("  provider  " + Asset.ETH.format(providerBefore) + " -> "
                    + Asset.ETH.format(result.providerAfter()) + " (4 months' fees: "
                    + Asset.ETH.format(result.paid()) + ")");
            out.println("  Bob       " + Asset.ETH.format(bobBefore) + " -> " + Asset.ETH.format(result.bobAfter())
                    + " (the fees and " + Asset.ETH.format(result.bobGas()) + " of gas)");
            out.println(result.balancesCheckOut() ? "Balances check out to the wei."
                    : "Balances do NOT check out.");
            return result;
        }
    }

    /** {@link #run(NodeHome, String...)}, which must succeed: the demo stops otherwise. */
    private Ran turnpike(NodeHome home, String... args) {
        Ran ran = run(home, args);
        if (ran.exitCode() != 0) {
            throw new IllegalStateException("turnpike " + String.join(" ", args) + " failed: " + ran.err());
        }
        return ran;
    }

    /** Runs {@code turnpike ARGS --datadir HOME} as its user would, and shows what it printed. */
    private Ran run(NodeHome home, String... args) {
        List<String> line = new ArrayList<>(List.of(args));
        line.add("--datadir");
        line.add(home.directory().toString());
        StringWriter printed = new StringWriter();
        StringWriter errors = new StringWriter();
        int exit = TurnpikeCommand.commandLine(new Environment(Map.of(PassphraseSource.VARIABLE,
                        DemoNodes.PASSPHRASE), Map.of(), Optional.empty()))
                .setOut(new PrintWriter(printed, true)).setErr(new PrintWriter(errors, true))
                .execute(line.toArray(String[]::new));
        out.println("$ turnpike " + String.join(" ", args));
        printed.toString().lines().forEach(l -> out.println("  " + l));
        errors.toString().lines().forEach(l -> out.println("  " + l));
        return new Ran(exit, printed.toString(), errors.toString());
    }

    private String letter(String name, String text) {
        Path file = workDir.resolve(name + ".txt");
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }

    private void step(String what) {
        out.println();
        out.println("== " + what);
    }
}
