package io.turnpike.node;

import io.turnpike.chain.Chain;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.node.NodeException.Code;
import io.turnpike.node.config.NodeConfig;

/**
 * Reaches the configured chain through the chain layer's RPC pool (fail-over, back-off, chain id checked at
 * start) and turns its refusals into the node's coded errors with what the operator should do.
 */
public final class ChainEndpoints {

    private ChainEndpoints() {
    }

    /**
     * @throws NodeException {@link Code#WRONG_CHAIN} if an endpoint serves another chain: a misconfigured URL
     *     is refused rather than skipped, since the next one may be just as wrong; {@link Code#CHAIN_UNREACHABLE}
     *     if none answers
     */
    public static Chain connect(NodeConfig.Chain settings) {
        RpcConfig rpc = RpcConfig.of(settings.rpcUrls().toArray(String[]::new)).withChainId(settings.id())
                .withStaleAfter(settings.staleAfter());
        try {
            return Chain.connect(rpc);
        } catch (RpcException e) {
            // The pool's message already leaves any credentials in the URLs out.
            String reason = e.getMessage().substring(e.code().id().length() + 2);
            if (e.code() == RpcException.Code.WRONG_CHAIN_ID) {
                throw new NodeException(Code.WRONG_CHAIN, reason + " (turnpike.chain.id is " + settings.id()
                        + ", turnpike.chain.rpc-urls the endpoints). Nothing was done.");
            }
            throw new NodeException(Code.CHAIN_UNREACHABLE, reason + ". Check turnpike.chain.rpc-urls and that the RPC "
                    + "nodes are up and reachable; nothing was done.");
        }
    }
}
