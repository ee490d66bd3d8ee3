package io.turnpike.node;

import io.turnpike.chain.Chain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.store.Store;

/**
 * What a running node works with, opened and checked by {@link NodeHome#open}; closing releases the store, the chain
 * and, last, the data directory, once nothing more is written to it.
 */
public record NodeContext(NodeHome home, NodeConfig config, PrivateKey key, Chain chain, Store store,
                          DataDirectoryLock lock) implements AutoCloseable {

    @Override
    public void close() {
        try {
            store.close();
        } finally {
            try {
                chain.close();
            } finally {
                lock.close();
            }
        }
    }
}
