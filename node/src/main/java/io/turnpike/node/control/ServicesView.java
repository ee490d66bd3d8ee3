package io.turnpike.node.control;

import io.turnpike.core.Amount;
import java.util.List;
import java.util.Optional;

/**
 * What this node sells and buys, at what prices.
 *
 * @param paymentThreshold what a client may owe this node before it pays (empty when it sells nothing)
 * @param bought the services each provider this node buys from offered, in its latest offer
 * @param rpcClients the clients of this node's JSON-RPC front, as each is served now (empty when it sells none)
 */
public record ServicesView(List<ServiceView> sold, Optional<Amount> paymentThreshold, List<ServiceView> bought,
                           List<RpcClientView> rpcClients) {

    public ServicesView {
        sold = List.copyOf(sold);
        bought = List.copyOf(bought);
        rpcClients = List.copyOf(rpcClients);
    }
}
