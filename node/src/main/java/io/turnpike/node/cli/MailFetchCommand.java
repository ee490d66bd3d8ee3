package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.mailbox.client.Letter;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code turnpike mail fetch}: reads this node's mailbox at its provider with requests signed by the node's key, opens
 * each message with that key, prints it (or saves it into {@code --out}), and then deletes what it read there.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
        description = "Fetch this node's mail from its provider's mailbox (signed with the node's key), open and print "
                + "it or save it, then delete it there.")
final class MailFetchCommand extends HomeCommand {

    /** Messages asked for per signed fetch; the provider may answer fewer. */
    private static final long PAGE = 100;

    @Option(names = "--provider", paramLabel = "URL", description = "The provider's mailbox API, http://HOST:PORT "
            + "(default: this node's own mailbox).")
    String provider;

    @Option(names = "--out", paramLabel = "DIR", description = "Save each message as DIR/ID instead of printing it.")
    Path out;

    @Option(names = "--keep", description = "Leave what was read in the mailbox.")
    boolean keep;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        MailboxClient mailbox = MailboxClient.connect(MailCommand.mailbox(provider, config), Clock.systemUTC());
        Keystore keystore = home.keystore();
        PrivateKey key = keystore.unlock(passphrase.source(environment())
                .toUnlock("the keystore of " + keystore.address()));
        PrintWriter printed = out();
        long after = 0;
        int read = 0;
        List<Letter> page = mailbox.read(key, after, PAGE);
        while (!page.isEmpty()) {
            for (Letter letter : page) {
                show(letter, printed);
                after = letter.id();
                read++;
            }
            page = mailbox.read(key, after, PAGE);
        }
        if (read == 0) {
            printed.println("No mail for " + key.address() + ".");
            return 0;
        }
        if (keep) {
            printed.println(read + (read == 1 ? " message" : " messages") + " read; kept in the mailbox.");
        } else {
            long deleted = mailbox.delete(key, after);
            printed.println(read + (read == 1 ? " message" : " messages") + " read; " + deleted
                    + " deleted from the mailbox.");
        }
        return 0;
    }

    private void show(Letter letter, PrintWriter printed) {
        if (out == null) {
            printed.println("--- message " + letter.id() + ", received " + letter.receivedAt());
            printed.println(new String(letter.message(), StandardCharsets.UTF_8));
            return;
        }
        Path saved = out.resolve(Long.toString(letter.id()));
        try {
            Files.createDirectories(out);
            Files.write(saved, letter.message());
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "cannot save message " + letter.id() + " to " + saved
                    + ": " + e.getMessage() + "; nothing was deleted from the mailbox");
        }
        printed.println("message " + letter.id() + ", received " + letter.receivedAt() + ": saved to " + saved);
    }
}
