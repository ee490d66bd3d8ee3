package io.turnpike.node;

import io.turnpike.chain.Chain;
import io.turnpike.node.NodeException.Code;
import io.turnpike.node.config.NodeConfig;
import java.util.ArrayList;
import java.util.List;

/** Reaches the configured chain through the first RPC endpoint that answers, and makes sure it is that chain. */
public final class ChainEndpoints {

    private ChainEndpoints() {
    }

    /**
     * @throws NodeException {@link Code#WRONG_CHAIN} if an endpoint serves another chain: a misconfigured URL
     *     is refused rather than skipped, since the next one may be just as wrong; {@link Code#CHAIN_UNREACHABLE}
     *     if none answers
     */
    public static Chain connect(NodeConfig.Chain settings) {
        List<String> failures = new ArrayList<>();
        for (String url : settings.rpcUrls()) {
            Chain chain;
            try {
                chain = Chain.connect(url);
            } catch (RuntimeException e) {
                failures.add(e.getMessage()); // names the URL; the operator needs to see which one failed how
                continue;
            }
            if (chain.chainId() != settings.id()) {
                chain.close();
                throw new NodeException(Code.WRONG_CHAIN, "the RPC endpoint " + url + " serves chain "
                        + chain.chainId() + ", but turnpike.chain.id is " + settings.id() + ". Point "
                        + "turnpike.chain.rpc-urls at a node of chain " + settings.id()
                        + ", or set turnpike.chain.id if that is the chain you mean. Nothing was done.");
            }
            return chain;
        }
        throw new NodeException(Code.CHAIN_UNREACHABLE, "no RPC endpoint in turnpike.chain.rpc-urls answered ("
                + String.join("; ", failures) + "). Check the URLs and that the RPC nodes are up and reachable;"
                + " nothing was done.");
    }
}
