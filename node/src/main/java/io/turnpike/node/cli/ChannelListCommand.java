package io.turnpike.node.cli;

import io.turnpike.core.Asset;
import io.turnpike.node.api.ChannelAssets;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeControl;
import java.util.List;
import picocli.CommandLine.Command;

/** `turnpike channel list`. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Every channel the running node has, with both deposits, what each side has paid, and what "
                + "this node can still pay.")
final class ChannelListCommand extends NodeApiCommand {

    @Override
    int call(NodeControl node) {
        Asset nodeAsset = node.status().asset();
        List<ChannelView> channels = node.channels();
        if (channels.isEmpty()) {
            out().println("No channels yet; open one with 'turnpike channel open PEER DEPOSIT'.");
            return 0;
        }
        Table table = new Table("ID", "PARTNER", "STATE", "OWN DEPOSIT", "PARTNER DEPOSIT", "SENT", "RECEIVED",
                "SPENDABLE", "SETTLES AT");
        for (ChannelView channel : channels) {
            Asset asset = ChannelAssets.of(channel.token(), nodeAsset);
            table.row(Long.toString(channel.channelId()), channel.partner().toString(), channel.state(),
                    asset.format(channel.ownDeposit()), asset.format(channel.partnerDeposit()),
                    asset.format(channel.sent()), asset.format(channel.received()), asset.format(channel.spendable()),
                    channel.settleAt().map(Object::toString).orElse("-"));
        }
        table.print(out());
        return 0;
    }
}
