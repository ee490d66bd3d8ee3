package io.turnpike.node.cli;

import io.turnpike.core.TurnpikeException;
import io.turnpike.node.Environment;
import io.turnpike.node.NodeException;
import io.turnpike.node.control.ControlException;
import io.turnpike.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The `turnpike` command line: one sub-command per operator task. */
@Command(name = "turnpike", mixinStandardHelpOptions = true, version = "turnpike 0.1.0",
        description = "Sell a service to your peers and get paid for exactly what was used.",
        footer = {"", "Also run by the launcher itself:",
                "  tower    Run a watchtower (./turnpike tower --help; docs/tower.md).",
                "  bench    Benchmarks: ./turnpike bench gas | node-payments | JMH options (docs/benchmarks.md).",
                "  test     Every test (./turnpike test)."},
        subcommands = {NodeCommand.class, InitCommand.class, DeployCommand.class, DevnetCommand.class,
                WalletCommand.class, PeersCommand.class, ChannelCommand.class, PayCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class TurnpikeCommand implements Runnable {

    /** The exit status of a command refused with a coded error (bad setting, wrong passphrase …). */
    public static final int REFUSED = 1;

    private final Environment environment;

    @Spec
    CommandSpec spec;

    private TurnpikeCommand(Environment environment) {
        this.environment = environment;
    }

    Environment environment() {
        return environment;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        return commandLine(Environment.ofProcess());
    }

    /** The command line working in {@code environment} instead of the real process's. */
    public static CommandLine commandLine(Environment environment) {
        return new CommandLine(new TurnpikeCommand(environment))
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(TurnpikeCommand::report);
    }

    /**
     * An error the operator can fix is one line: its stable code and what to do, without a stack trace. Anything
     * else is a bug and keeps its trace.
     */
    private static int report(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        String code;
        String message = e.getMessage();
        switch (e) {
            case NodeException n -> code = n.code().id();
            case TurnpikeException t -> code = t.code().code();
            case ControlException c -> code = c.code();
            case StoreException s -> {
                code = s.code().id();
                // The store puts its code in front of the message already.
                message = message.startsWith(code + ": ") ? message.substring(code.length() + 2) : message;
            }
            default -> throw e;
        }
        command.getErr().println("error [" + code + "]: " + message);
        command.getErr().flush();
        return REFUSED;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
