package io.turnpike.node.cli;

import io.turnpike.core.Asset;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.RpcClientView;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code turnpike rpc clients}: the clients of the running node's JSON-RPC front, as each is served now. */
@Command(name = "clients", mixinStandardHelpOptions = true,
        description = "The running node's JSON-RPC clients: each one's tier (paid: a seat's capacity; free: from the "
                + "spare), capacity in cost units per second, buffer now of its most, the subscription notifications "
                + "dropped because its buffer did not hold them, and the price per unit it pays now.")
final class RpcClientsCommand extends NodeApiCommand {

    @Override
    int call(NodeControl node) {
        Asset asset = node.status().asset();
        List<RpcClientView> clients = node.services().rpcClients();
        if (clients.isEmpty()) {
            out().println("No JSON-RPC clients (this node sells no JSON-RPC, or nobody has used it yet).");
            return 0;
        }
        Table table = new Table("CLIENT", "TIER", "CAPACITY", "BUFFER", "DROPPED", "PRICE PER UNIT");
        for (RpcClientView client : clients) {
            table.row(client.client().toString(), client.tier(), client.capacity() + " units/s",
                    client.buffer() + " of " + client.bufferLimit(), Long.toString(client.notificationsDropped()),
                    asset.format(client.pricePerUnit()));
        }
        table.print(out());
        return 0;
    }
}
