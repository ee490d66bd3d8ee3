package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.PrivateFiles;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `turnpike wallet export`: the keystore file exactly as stored, still encrypted; the key is never shown. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the node's keystore (encrypted, exactly as stored) to --out FILE, or print it. Any V3 "
                + "wallet opens it with the passphrase.")
final class WalletExportCommand extends HomeCommand {

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (mode 0600; must not exist yet).")
    Path outFile;

    @Override
    public Integer call() {
        Keystore keystore = home().keystore();
        if (outFile == null) {
            out().println(keystore.json());
            return 0;
        }
        try {
            PrivateFiles.create(outFile, keystore.json());
        } catch (FileAlreadyExistsException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, outFile + " exists; nothing was written. "
                    + "Choose a new file name for --out.");
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.DATADIR_IO, "cannot write " + outFile + ": " + e.getMessage(), e);
        }
        out().println("Wrote the keystore of " + keystore.address() + " to " + outFile
                + " (encrypted; it opens with this node's passphrase).");
        return 0;
    }
}
