package io.turnpike.node.wallet;

import io.turnpike.core.ErrorCode;
import io.turnpike.node.Environment;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.Terminal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a keystore passphrase comes from, first found wins: a file ({@code --passphrase-file}), the
 * {@value #VARIABLE} environment variable, or the operator typing it at a terminal without echo. Never the
 * command line, where other users see it in the process list and it stays in the shell history.
 */
public final class PassphraseSource {

    public static final String VARIABLE = "TURNPIKE_PASSPHRASE";

    private final Environment environment;
    private final Optional<Path> file;

    public PassphraseSource(Environment environment, Optional<Path> file) {
        this.environment = environment;
        this.file = file;
    }

    /** The passphrase of an existing keystore: asked once. */
    public String toUnlock(String what) {
        return fromFileOrVariable().orElseGet(() -> {
            Terminal terminal = terminal();
            return secret(terminal, "Passphrase for " + what + ": ");
        });
    }

    /** The passphrase for a new keystore: asked twice on a terminal, so a typo does not lock the key away. */
    public String forNewKeystore() {
        String passphrase = fromFileOrVariable().orElseGet(() -> {
            Terminal terminal = terminal();
            String first = secret(terminal, "Passphrase for the new keystore: ");
            String second = secret(terminal, "The same passphrase again: ");
            if (!first.equals(second)) {
                throw new TurnpikeException(ErrorCode.PASSPHRASE_UNAVAILABLE,
                        "the two passphrases differ. Nothing was written; run the command again.");
            }
            return first;
        });
        if (passphrase.isEmpty()) {
            throw new TurnpikeException(ErrorCode.PASSPHRASE_UNAVAILABLE,
                    "the passphrase is empty; a keystore needs one. Nothing was written.");
        }
        return passphrase;
    }

    private Optional<String> fromFileOrVariable() {
        if (file.isPresent()) {
            return Optional.of(readFile(file.get()));
        }
        return environment.variable(VARIABLE);
    }

    /** The first line, without its line ending: what `echo pass > file` writes. */
    private static String readFile(Path path) {
        try {
            String text = Files.readString(path, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            String line = end < 0 ? text : text.substring(0, end);
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.PASSPHRASE_UNAVAILABLE, "cannot read the passphrase file " + path + ": "
                    + e.getMessage() + ". Check the path and its permissions.", e);
        }
    }

    private Terminal terminal() {
        return environment.terminal().orElseThrow(() -> new TurnpikeException(ErrorCode.PASSPHRASE_UNAVAILABLE,
                "a passphrase is needed and there is no terminal to ask on. Set " + VARIABLE
                        + " or pass --passphrase-file FILE."));
    }

    private static String secret(Terminal terminal, String prompt) {
        char[] typed = terminal.readSecret(prompt);
        try {
            return new String(typed);
        } finally {
            Arrays.fill(typed, '\0');
        }
    }
}
