package io.turnpike.node.cli;

import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.NodeHome;
import io.turnpike.node.wallet.Keystore;
import io.turnpike.node.wallet.PassphraseSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `turnpike init`: a new data directory with a key, a commented config and an API token. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = "Create a data directory: an encrypted key (new, or --import an existing keystore), a "
                + "commented turnpike.conf and an API token. Refuses a directory that is already set up.")
final class InitCommand extends HomeCommand {

    @Option(names = "--import", paramLabel = "FILE",
            description = "Use the key in this V3 keystore (geth, Foundry's cast, web3j) instead of a new one.")
    Path importFile;

    @Option(names = "--kdf", paramLabel = "STRENGTH", defaultValue = "standard",
            description = "scrypt cost of a new keystore: standard (default), or light: fast to open but far "
                    + "weaker against guessing, for throw-away development keys only.")
    Keystore.Kdf kdf;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        home.refuseIfInitialised(); // before the passphrase is asked; initialise() checks again before writing
        PassphraseSource passphrases = passphrase.source(environment());
        SecureRandom random = new SecureRandom();
        Keystore key;
        if (importFile != null) {
            key = Keystore.read(importFile).verified(passphrases.toUnlock("the keystore " + importFile));
        } else {
            key = Keystore.encrypt(PrivateKey.random(random), passphrases.forNewKeystore(), kdf);
        }
        Path keystore = home.initialise(key, random);
        PrintWriter out = out();
        out.println("Initialised " + home.directory());
        out.println("  address    " + key.address());
        out.println("  keystore   " + keystore + "  (encrypted; back it up, and the passphrase separately)");
        out.println("  config     " + home.configFile());
        out.println("  api token  " + home.apiTokenFile());
        out.println("Next: set turnpike.chain.id and turnpike.chain.rpc-urls in turnpike.conf, fund the address"
                + " (check it with 'turnpike wallet balance'), and set turnpike.chain.contract — or deploy one with"
                + " 'turnpike deploy'. To try it all locally first: 'turnpike devnet' (docs/quickstart.md).");
        return 0;
    }
}
