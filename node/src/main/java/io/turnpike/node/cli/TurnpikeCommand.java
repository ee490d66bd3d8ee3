package io.turnpike.node.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `turnpike` command line: one sub-command per operator task. */
@Command(name = "turnpike", mixinStandardHelpOptions = true, version = "turnpike 0.1.0",
        description = "Sell a service to your peers and get paid for exactly what was used.",
        subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class TurnpikeCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static CommandLine commandLine() {
        return new CommandLine(new TurnpikeCommand());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
