package io.turnpike.node.cli;

import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `turnpike channel close ID [--force]`. */
@Command(name = "close", mixinStandardHelpOptions = true,
        description = "Close a channel: settled at once if the partner signs in time, otherwise (or with --force) "
                + "closed on chain and settled after the challenge period.")
final class ChannelCloseCommand extends NodeApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = ChannelCommand.ID_HELP)
    long channelId;

    @Option(names = "--force", description = "Close on chain without asking the partner to sign a settlement.")
    boolean force;

    @Override
    int call(NodeControl node) {
        ChannelView channel = node.closeChannel(channelId, force);
        out().println(ChannelCommand.describe(channel, node.status().asset()));
        return 0;
    }
}
