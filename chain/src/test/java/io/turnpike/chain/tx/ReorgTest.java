package io.turnpike.chain.tx;

import static io.turnpike.chain.tx.TxHarness.confirmed;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SignedTransaction;
import io.turnpike.core.Amount;
import io.turnpike.store.BlockRef;
import io.turnpike.store.TxStatus;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Confirmed transactions that a re-org deeper than the confirmation depth takes back. */
class ReorgTest {

    @TempDir
    Path dir;
    private TxHarness h;
    private TransactionManager manager;

    @BeforeEach
    void start() {
        h = TxHarness.onFreshAnvil(dir);
        manager = h.manager();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void confirmedTransactionReorganisedOutIsPendingAgainAndConfirmedInItsNewBlock() {
        SubmittedTx tx = h.transfer(manager, 4_000);
        h.mineUntil(manager, confirmed(tx));
        BlockRef first = tx.block().orElseThrow();

        h.anvil.reorg(h.config.confirmations(), List.of()); // its block and every block on top are replaced
        manager.tick();

        assertThat(h.stored(tx.hash()).status()).as("back to pending and sent again").isEqualTo(TxStatus.SENT);
        h.mineUntil(manager, confirmed(tx));
        BlockRef second = tx.block().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(h.chain.blockHash(second.number())).contains(second.hash());
        assertThat(tx.hashes()).as("the same bytes, never re-signed").hasSize(1);
        assertThat(h.received()).isEqualTo(Amount.of(4_000));
    }

    @Test
    void aReorgWhileTheNodeWasDownTakesBackAConfirmedTransactionAndTheRestartedManagerSendsItAgain() {
        SubmittedTx tx = h.transfer(manager, 6_000);
        h.mineUntil(manager, confirmed(tx));
        BlockRef first = tx.block().orElseThrow();

        // The node stops; meanwhile a block comes, then a re-org deeper than the confirmation depth replaces every
        // block from the transaction's on.
        h.anvil.mine();
        h.anvil.reorg(h.config.confirmations() + 1, List.of());
        TransactionManager restarted = h.manager();
        restarted.tick();

        assertThat(h.stored(tx.hash()).status()).as("back to pending and sent again").isEqualTo(TxStatus.SENT);
        h.mineUntil(restarted, () -> h.stored(tx.hash()).status() == TxStatus.CONFIRMED);
        BlockRef second = h.stored(tx.hash()).block().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        assertThat(h.chain.blockHash(second.number())).contains(second.hash());
        assertThat(h.received()).isEqualTo(Amount.of(6_000));
    }

    @Test
    void transactionMovedToAnotherBlockByAReorgIsCountedFromThatBlock() {
        SubmittedTx tx = h.transfer(manager, 5_000);
        h.mineUntil(manager, confirmed(tx));
        BlockRef first = tx.block().orElseThrow();
        SignedTransaction same = new SignedTransaction(h.stored(tx.hash()).tx().raw(), tx.hash());

        h.anvil.reorg(h.config.confirmations(), List.of(same));
        manager.tick();

        BlockRef moved = tx.block().orElseThrow();
        assertThat(moved.number()).isEqualTo(first.number());
        assertThat(moved.hash()).isNotEqualTo(first.hash());
        assertThat(h.stored(tx.hash()).block()).contains(moved);
        assertThat(tx.status()).isEqualTo(TxStatus.CONFIRMED);
        assertThat(h.received()).isEqualTo(Amount.of(5_000));
    }
}
