package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.NodeConfig;
import java.net.URI;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code turnpike mail …}: mail sealed end to end, through a provider's mailbox (docs/mailbox.md). */
@Command(name = "mail", mixinStandardHelpOptions = true,
        description = "Send mail sealed to the recipient's key to their provider's mailbox; fetch, open and delete "
                + "this node's own.",
        subcommands = {MailSendCommand.class, MailFetchCommand.class})
final class MailCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The mailbox API at {@code --provider}, or this node's own when it serves mailboxes on a port set in its config.
     */
    static URI mailbox(String provider, NodeConfig config) {
        if (provider != null) {
            URI uri;
            try {
                uri = URI.create(provider.strip());
            } catch (IllegalArgumentException e) {
                throw notAMailbox(provider);
            }
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw notAMailbox(provider);
            }
            return uri;
        }
        NodeConfig.Endpoint own = config.provider().mailbox().filter(m -> config.provider().enabled())
                .map(NodeConfig.Mailbox::listen).filter(listen -> listen.port() > 0)
                .orElseThrow(() -> new TurnpikeException(ErrorCode.BAD_ARGUMENT, "name the provider's mailbox with "
                        + "--provider http://HOST:PORT (this node serves none itself)"));
        String host = "0.0.0.0".equals(own.bind()) ? "127.0.0.1" : own.bind();
        return URI.create("http://" + host + ":" + own.port());
    }

    private static TurnpikeException notAMailbox(String provider) {
        return new TurnpikeException(ErrorCode.BAD_ARGUMENT, "--provider " + provider + " is not a mailbox API's "
                + "address; it is http://HOST:PORT, such as http://203.0.113.7:8649");
    }
}
