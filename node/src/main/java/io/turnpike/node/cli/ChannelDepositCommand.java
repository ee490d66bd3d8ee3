package io.turnpike.node.cli;

import io.turnpike.core.Amount;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeControl;
import picocli.CommandLine.Command;

/** `turnpike channel deposit ID AMOUNT`: tops up from the node's wallet; waits until the chain confirms it. */
@Command(name = "deposit", mixinStandardHelpOptions = true,
        description = "Deposit more into an open channel from the node's wallet, and wait until the chain confirms it.")
final class ChannelDepositCommand extends ChannelAmountCommand {

    @Override
    String verb() {
        return "deposit";
    }

    @Override
    String announce(String amount) {
        return "Depositing " + amount + " more into channel " + channelId + "; waiting for the chain to confirm it.";
    }

    @Override
    ChannelView change(NodeControl node, Amount amount) {
        return node.depositChannel(channelId, amount);
    }
}
