package io.turnpike.node.cli;

import io.turnpike.node.NodeHome;
import io.turnpike.node.wallet.Keystore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** `turnpike wallet import FILE`: a keystore from another tool becomes the node's key. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Make a V3 keystore from another tool (geth, Foundry's cast, web3j) the key of a data directory "
                + "that has none. It is decrypted first, to prove the passphrase; it keeps that passphrase.")
final class WalletImportCommand extends HomeCommand {

    @Parameters(paramLabel = "FILE", description = "The keystore file.")
    Path file;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        home.refuseIfKeyPresent(); // before the passphrase is asked; importKey() checks again before writing
        Keystore keystore = Keystore.read(file)
                .verified(passphrase.source(environment()).toUnlock("the keystore " + file));
        Path stored = home.importKey(keystore);
        out().println("Imported " + keystore.address() + " into " + stored);
        return 0;
    }
}
