package io.turnpike.node.cli;

import picocli.CommandLine.Command;

/** `turnpike wallet address`: read from the keystore, so no passphrase is needed. */
@Command(name = "address", mixinStandardHelpOptions = true,
        description = "Print the node's address (no passphrase needed).")
final class WalletAddressCommand extends HomeCommand {

    @Override
    public Integer call() {
        out().println(home().keystore().address());
        return 0;
    }
}
