package io.turnpike.node.cli;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PublicKey;
import io.turnpike.mailbox.client.MailboxClient;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code turnpike mail send ADDRESS --file F}: seals the file to the recipient's public key (ECIES) and delivers it to
 * the recipient's mailbox. The key is {@code --to-key}, or the one the provider learnt from the recipient's own
 * signature; either way it is checked to be {@code ADDRESS}'s, so the provider cannot slip in a key of its own.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = "Seal a file to ADDRESS's key and deliver it to their mailbox; the provider stores ciphertext "
                + "only. No passphrase needed.")
final class MailSendCommand extends HomeCommand {

    @Parameters(index = "0", paramLabel = "ADDRESS", description = "The recipient's address.")
    String recipient;

    @Option(names = "--file", paramLabel = "F", required = true, description = "What to send.")
    Path file;

    @Option(names = "--provider", paramLabel = "URL", description = "The recipient's provider's mailbox API, "
            + "http://HOST:PORT (default: this node's own mailbox).")
    String provider;

    @Option(names = "--to-key", paramLabel = "KEY", description = "The recipient's public key, 128 hex digits (x ‖ y); "
            + "default: the one the provider learnt from the recipient's signed fetches.")
    String toKey;

    @Override
    public Integer call() {
        NodeConfig config = home().loadConfig(environment());
        Address to = SubscribeCommand.address(recipient, "ADDRESS");
        byte[] message;
        try {
            message = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "cannot read --file " + file + ": " + e.getMessage());
        }
        MailboxClient mailbox = MailboxClient.connect(MailCommand.mailbox(provider, config), Clock.systemUTC());
        PublicKey key = toKey == null ? mailbox.keyOf(to) : PublicKey.fromHex(toKey);
        long id = mailbox.send(to, key, message);
        out().println("Sent " + message.length + " bytes, sealed to " + to + "'s key, to its mailbox at "
                + mailbox.info().provider() + " (message " + id + ").");
        return 0;
    }
}
