package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;

/** A real SQLite store in a test's temporary directory, as a node keeps it in its data directory. */
public final class TestStore {

    private TestStore() {
    }

    /** Opens (or reopens, as after a restart) the store in {@code dir} for {@code node} on chain {@code chainId}. */
    public static Store open(Path dir, Address node, long chainId, Clock clock) {
        return Store.open(StoreConfig.sqlite(dir).withClock(clock), new NodeIdentity(node, chainId, Address.ZERO));
    }
}
