package io.turnpike.node.cli;

import io.turnpike.core.Asset;
import io.turnpike.node.api.ChannelAssets;
import io.turnpike.node.control.ChannelView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `turnpike channel …`: the running node's payment channels. */
@Command(name = "channel", mixinStandardHelpOptions = true,
        description = "The running node's payment channels: list, open, close.",
        subcommands = {ChannelListCommand.class, ChannelOpenCommand.class, ChannelCloseCommand.class})
final class ChannelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** "Channel 3 to 0x…: OPEN, 0.5 ETH spendable." and, once closed, when it settles. */
    static String describe(ChannelView channel, Asset nodeAsset) {
        Asset asset = ChannelAssets.of(channel.token(), nodeAsset);
        String state = switch (channel.state()) {
            case "OPEN" -> "OPEN, " + asset.format(channel.spendable()) + " spendable";
            case "CLOSED" -> channel.settleAt().map(at -> "CLOSED; its challenge period ends at " + at
                    + ", then it settles").orElse("CLOSED; it settles after its challenge period");
            default -> channel.state();
        };
        return "Channel " + channel.channelId() + " to " + channel.partner() + ": " + state + ".";
    }
}
