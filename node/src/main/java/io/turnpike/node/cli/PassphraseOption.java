package io.turnpike.node.cli;

import io.turnpike.node.Environment;
import io.turnpike.node.wallet.PassphraseSource;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --passphrase-file}; the passphrase itself is never an option, so it never shows in a process list. */
final class PassphraseOption {

    @Option(names = "--passphrase-file", paramLabel = "FILE",
            description = "Read the keystore passphrase from the first line of FILE. Otherwise TURNPIKE_PASSPHRASE, "
                    + "otherwise it is asked for on the terminal.")
    Path file;

    PassphraseSource source(Environment environment) {
        return new PassphraseSource(environment, Optional.ofNullable(file));
    }
}
