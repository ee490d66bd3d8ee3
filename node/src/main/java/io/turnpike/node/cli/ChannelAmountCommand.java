package io.turnpike.node.cli;

import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeControl;
import java.io.PrintWriter;
import picocli.CommandLine.Parameters;

/** `turnpike channel deposit|withdraw ID AMOUNT`: says what it asks for, waits for the chain, says what changed. */
abstract class ChannelAmountCommand extends NodeApiCommand {

    @Parameters(index = "0", paramLabel = "ID", description = "The channel's id, as 'turnpike channel list' shows it.")
    long channelId;

    @Parameters(index = "1", paramLabel = "AMOUNT",
            description = "In whole units of the node's asset, exactly: 0.5 is 0.5 ETH. More decimals than the asset "
                    + "has is an error.")
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
        PrintWriter out = out();
        out.println(announce(asset.format(parsed)));
        out.flush();
        out.println(ChannelCommand.describe(change(node, parsed), asset));
        return 0;
    }
}
