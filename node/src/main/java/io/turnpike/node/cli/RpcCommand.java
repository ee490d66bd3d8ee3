package io.turnpike.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnpike rpc …}: the paid JSON-RPC service, from either side (docs/rpc.md). */
@Command(name = "rpc", mixinStandardHelpOptions = true,
        description = "Paid JSON-RPC: quotes, and the clients a selling node serves (docs/rpc.md).",
        subcommands = {RpcQuoteCommand.class, RpcClientsCommand.class})
final class RpcCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
