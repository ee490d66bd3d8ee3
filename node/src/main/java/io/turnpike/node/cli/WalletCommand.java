package io.turnpike.node.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `turnpike wallet …`: the node's own key and funds. */
@Command(name = "wallet", mixinStandardHelpOptions = true,
        description = "The node's key and its on-chain funds.",
        subcommands = {WalletAddressCommand.class, WalletBalanceCommand.class, WalletSendCommand.class,
                WalletImportCommand.class, WalletExportCommand.class})
final class WalletCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
