package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.Environment;
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
                "  bench    Benchmarks: ./turnpike bench gas | node-payments | rpc | JMH options (docs/benchmarks.md).",
                "  fuzz     Fuzz the decoders a stranger reaches: ./turnpike fuzz --list | TARGET | --all [--seconds S]"
                        + " (docs/security.md).",
                "  test     Every test (./turnpike test)."},
        subcommands = {NodeCommand.class, InitCommand.class, DeployCommand.class, DevnetCommand.class,
                WalletCommand.class, PeersCommand.class, ChannelCommand.class, PayCommand.class, RpcCommand.class,
                ProvidersCommand.class, SubscribeCommand.class, SubscriptionsCommand.class, MailCommand.class,
                HttpCommand.class, DemoCommand.class,
                CommandLine.HelpCommand.class})
public final class TurnpikeCommand implements Runnable {

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
     * An error the operator can fix is one line, its stable code and what to do, without a stack trace; the command
     * exits with the code's status ({@link ErrorCode#exitStatus()}). Anything else is a bug and keeps its trace.
     */
    private static int report(Exception e, CommandLine command, ParseResult parsed) throws Exception {
        if (!(e instanceof TurnpikeException refused)) {
            throw e;
        }
        command.getErr().println(errorLine(refused));
        command.getErr().flush();
        return refused.code().exitStatus();
    }

    /** How every command writes a refusal: {@code error [code]: message}. */
    public static String errorLine(TurnpikeException refused) {
        return "error [" + refused.code().code() + "]: " + refused.getMessage();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
