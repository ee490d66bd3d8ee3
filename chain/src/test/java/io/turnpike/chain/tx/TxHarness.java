package io.turnpike.chain.tx;

import static org.assertj.core.api.Assertions.fail;

import io.turnpike.chain.Chain;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.TestStore;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.store.StoredTx;
import io.turnpike.store.Store;
import io.turnpike.store.TxStatus;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A transaction manager's world for one test: its own anvil (tests here mine, drop, re-org and stop it),
 * a chain client over the given RPC URL, a real SQLite store, a sender key and a recipient that starts
 * with nothing, so what it holds counts the transfers that happened.
 */
final class TxHarness implements AutoCloseable {

    static final Address RECIPIENT = Address.of("0x000000000000000000000000000000000000bEEF");
    private static final int MAX_BLOCKS = 30;
    private static final int MAX_ROUNDS = 500;

    final MutableClock clock = MutableClock.startingNow();
    final TxConfig config = TxConfig.defaults().withClock(clock);
    final Anvil anvil;
    final Chain chain;
    final Store store;
    final PrivateKey key;
    final Address sender;

    TxHarness(Anvil anvil, String rpcUrl, Path dir) {
        this.anvil = anvil;
        this.chain = Chain.connect(RpcConfig.of(rpcUrl).withChainId(SharedAnvil.CHAIN_ID).withClock(clock));
        this.key = anvil.devKeys().get(1);
        this.sender = key.address();
        this.store = TestStore.open(dir, sender, SharedAnvil.CHAIN_ID, clock);
    }

    static TxHarness onFreshAnvil(Path dir) {
        Anvil anvil = Anvil.start(SharedAnvil.CHAIN_ID);
        return new TxHarness(anvil, anvil.rpcUrl(), dir);
    }

    /** A manager as a node opens it at start, resuming what the store holds. */
    TransactionManager manager() {
        return TransactionManager.open(chain, key, store.transactions(), config);
    }

    SubmittedTx transfer(TransactionManager manager, long wei) {
        return manager.submit(RECIPIENT, Amount.of(wei), "0x", "test.transfer", null);
    }

    Amount received() {
        return chain.balance(RECIPIENT);
    }

    StoredTx stored(Bytes32 hash) {
        return store.transactions().findByHash(hash).orElseThrow();
    }

    /** Runs rounds, mining a block between them, until {@code done}; fails after a bounded number of blocks. */
    void mineUntil(TransactionManager manager, Anvil chainNode, BooleanSupplier done) {
        for (int block = 0; block < MAX_BLOCKS; block++) {
            manager.tick();
            if (done.getAsBoolean()) {
                return;
            }
            chainNode.mine();
        }
        fail("not done after " + MAX_BLOCKS + " blocks: " + manager.tracked());
    }

    /** Runs rounds without mining until {@code done}: automine includes a transaction on its own schedule. */
    void tickUntil(TransactionManager manager, BooleanSupplier done) {
        for (int round = 0; round < MAX_ROUNDS && !done.getAsBoolean(); round++) {
            manager.tick();
        }
        if (!done.getAsBoolean()) {
            fail("not done after " + MAX_ROUNDS + " rounds: " + manager.tracked());
        }
    }

    void mineUntil(TransactionManager manager, BooleanSupplier done) {
        mineUntil(manager, anvil, done);
    }

    static BooleanSupplier confirmed(SubmittedTx... txs) {
        return () -> Arrays.stream(txs).allMatch(tx -> tx.status() == TxStatus.CONFIRMED);
    }

    @Override
    public void close() {
        store.close();
        chain.close();
        anvil.close();
    }
}
