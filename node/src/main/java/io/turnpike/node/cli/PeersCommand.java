package io.turnpike.node.cli;

import io.turnpike.core.Asset;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.PeerView;
import java.util.List;
import picocli.CommandLine.Command;

/** `turnpike peers`: who the running node deals with, and the money between them. */
@Command(name = "peers", mixinStandardHelpOptions = true,
        description = "The running node's peers: what each has used, paid and still owes, per direction (a provider's "
                + "row is what this node buys from it; a client's, what it buys from this node).")
final class PeersCommand extends NodeApiCommand {

    @Override
    int call(NodeControl node) {
        Asset asset = node.status().asset();
        List<PeerView> peers = node.peers();
        if (peers.isEmpty()) {
            out().println("No peers yet.");
            return 0;
        }
        Table table = new Table("PEER", "ROLE", "TIER", "USED", "PAID", "OWED", "CREDIT", "IN FLIGHT", "CHANNEL");
        for (PeerView peer : peers) {
            table.row(peer.address() + (peer.connected() ? "" : " (offline)"), peer.role(), peer.tier(),
                    asset.format(peer.used()), asset.format(peer.paid()), asset.format(peer.owed()),
                    asset.format(peer.credit()), asset.format(peer.inFlight()),
                    peer.channelId().map(String::valueOf).orElse("-"));
        }
        table.print(out());
        return 0;
    }
}
