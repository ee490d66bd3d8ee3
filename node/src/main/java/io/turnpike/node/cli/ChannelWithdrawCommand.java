package io.turnpike.node.cli;

import io.turnpike.core.Amount;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.NodeControl;
import picocli.CommandLine.Command;

/** `turnpike channel withdraw ID AMOUNT`: the partner co-signs, then the chain pays it back to the node's wallet. */
@Command(name = "withdraw", mixinStandardHelpOptions = true,
        description = "Withdraw part of the node's side of an open channel back to its wallet: the partner, which "
                + "must be connected, co-signs, and the node waits until the chain confirms it.")
final class ChannelWithdrawCommand extends ChannelAmountCommand {

    @Override
    String verb() {
        return "withdraw";
    }

    @Override
    String announce(String amount) {
        return "Withdrawing " + amount + " from channel " + channelId
                + "; asking the partner to co-sign, then waiting for the chain to confirm it.";
    }

    @Override
    ChannelView change(NodeControl node, Amount amount) {
        return node.withdrawChannel(channelId, amount);
    }
}
