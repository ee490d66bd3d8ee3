package io.turnpike.node;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.chain.Chain;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.chain.rpc.RpcException;
import io.turnpike.node.config.NodeConfig;

/**
 * Reaches the configured chain through the chain layer's RPC pool (fail-over, back-off, chain id checked at
 * start) and turns its refusals into the node's coded errors with what the operator should do.
 */
public final class ChainEndpoints {

    private ChainEndpoints() {
    }

    /**
     * @throws TurnpikeException {@link ErrorCode#WRONG_CHAIN_ID} if an endpoint serves another chain: a misconfigured URL
     *     is refused rather than skipped, since the next one may be just as wrong; {@link ErrorCode#CHAIN_UNREACHABLE}
     *     if none answers
     */
    public static Chain connect(NodeConfig.Chain settings) {
        RpcConfig rpc = RpcConfig.of(settings.rpcUrls().toArray(String[]::new)).withChainId(settings.id())
                .withStaleAfter(settings.staleAfter());
        try {
            return Chain.connect(rpc);
        } catch (RpcException e) {
            // The pool's message already leaves any credentials in the URLs out.
            String reason = e.getMessage().substring(e.code().code().length() + 2);
            if (e.code() == ErrorCode.WRONG_CHAIN_ID) {
                throw new TurnpikeException(ErrorCode.WRONG_CHAIN_ID, reason + " (turnpike.chain.id is " + settings.id()
                        + ", turnpike.chain.rpc-urls the endpoints). Nothing was done.");
            }
            throw new TurnpikeException(ErrorCode.CHAIN_UNREACHABLE, reason + ". Check turnpike.chain.rpc-urls and that the RPC "
                    + "nodes are up and reachable; nothing was done.");
        }
    }
}
