package io.turnpike.node.cli;

import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeControl;
import picocli.CommandLine.Parameters;

/** `turnpike channel deposit|withdraw ID AMOUNT`: says what it asks for, waits for the chain, says what changed. */
abstract class ChannelAmountCommand extends NodeApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = ChannelCommand.ID_HELP)
    long channelId;

    @Parameters(index = "1", paramLabel = "AMOUNT", description = ChannelCommand.AMOUNT_HELP)
    String amount;

    /** The verb, for errors: "deposit". */
    abstract String verb();

    /** What the command is about to do, before it waits. */
    abstract String announce(String amount);

    abstract ChannelView change(NodeControl node, Amount amount);

    @Override
    int call(NodeControl node) {
        Asset asset = node.status().asset();
        Amount parsed = ChannelCommand.amount(amount, verb(), asset);
        return ChannelCommand.announceAndAwait(out(), announce(asset.format(parsed)), () -> change(node, parsed),
                asset);
    }
}
