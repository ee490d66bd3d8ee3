package io.turnpike.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnpike rpc …}: the paid JSON-RPC service, from the buying side (docs/rpc.md). */
@Command(name = "rpc", mixinStandardHelpOptions = true, description = "Paid JSON-RPC: quotes (docs/rpc.md).",
        subcommands = RpcQuoteCommand.class)
final class RpcCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
