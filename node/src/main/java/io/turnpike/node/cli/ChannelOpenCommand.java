package io.turnpike.node.cli;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.NodeControl;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `turnpike channel open PEER DEPOSIT`: waits until the chain confirms the channel. */
@Command(name = "open", mixinStandardHelpOptions = true,
        description = "Open a channel to a peer with a deposit from the node's wallet, and wait until the chain "
                + "confirms it.")
final class ChannelOpenCommand extends NodeApiCommand {

    @Parameters(index = "0", paramLabel = "PEER", description = "The peer's address (0x + 40 hex digits).")
    String peer;

    @Parameters(index = "1", paramLabel = "DEPOSIT", description = ChannelCommand.AMOUNT_HELP)
    String deposit;

    @Option(names = "--force", description = "Open even if the peer is not connected to this node: nothing then shows "
            + "a node answers at that address, and a deposit there stays locked until a close's challenge period ends.")
    boolean force;

    @Override
    int call(NodeControl node) {
        Address partner = address(peer, "the peer");
        Asset asset = node.status().asset();
        Amount amount = ChannelCommand.amount(deposit, "deposit", asset);
        return ChannelCommand.announceAndAwait(out(), "Opening a channel to " + partner + " with "
                + asset.format(amount) + "; waiting for the chain to confirm it.",
                () -> node.openChannel(partner, amount, force), asset);
    }
}
