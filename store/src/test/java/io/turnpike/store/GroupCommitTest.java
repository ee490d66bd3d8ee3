package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import static io.turnpike.store.Fixtures.concurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

class GroupCommitTest {

    private static LedgerKey peer(int i) {
        byte[] address = new byte[Address.LENGTH];
        address[0] = 0x70;
        address[Address.LENGTH - 1] = (byte) i;
        return new LedgerKey(Address.fromBytes(address), Address.ZERO, Debtor.PEER);
    }

    private static LedgerDelta use(long amount) {
        return LedgerDelta.NONE.withUsed(BigInteger.valueOf(amount));
    }

    /** Occupies the committer until released, so that everything submitted meanwhile queues up behind it. */
    private static CountDownLatch holdCommitter(Store store) throws InterruptedException {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        store.committer().submit(connection -> {
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return null;
        });
        running.await();
        return release;
    }

    @ForAllDbs
    void writesQueuedTogetherShareOneCommit(TestDatabase db) throws Exception {
        int writers = 20;
        try (Store store = db.open()) {
            long commitsBefore = store.committer().commits();
            CountDownLatch release = holdCommitter(store);
            List<CompletableFuture<LedgerBalance>> writes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                writes.add(store.committer().submit(JdbcLedgerStore.adjustment(peer(i), use(i + 1))));
            }
            release.countDown();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

            // One commit for the unit that held the committer, one for all the writes queued behind it.
            assertThat(store.committer().commits() - commitsBefore).isEqualTo(2);
        }
        try (Store reopened = db.open()) {
            for (int i = 0; i < writers; i++) {
                assertThat(reopened.ledger().get(peer(i)).used()).isEqualTo(Amount.of(i + 1));
            }
        }
    }

    @ForAllDbs
    void aFailingWriteFailsOnlyItsOwnCaller(TestDatabase db) throws Exception {
        try (Store store = db.open()) {
            store.ledger().adjust(peer(0), use(5));
            CountDownLatch release = holdCommitter(store);
            CompletableFuture<LedgerBalance> before = store.committer().submit(JdbcLedgerStore.adjustment(peer(1), use(1)));
            CompletableFuture<LedgerBalance> overdrawn = store.committer().submit(
                    JdbcLedgerStore.adjustment(peer(0), LedgerDelta.NONE.withPaid(BigInteger.valueOf(-1))));
            CompletableFuture<Integer> badSql = store.committer().submit(
                    connection -> Sql.update(connection, "INSERT INTO no_such_table VALUES (1)"));
            CompletableFuture<LedgerBalance> after = store.committer().submit(JdbcLedgerStore.adjustment(peer(2), use(2)));
            release.countDown();

            assertThat(before.join().used()).isEqualTo(Amount.of(1));
            assertThat(after.join().used()).isEqualTo(Amount.of(2));
            assertThatThrownBy(overdrawn::join).isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(ArithmeticException.class);
            assertThatThrownBy(badSql::join).isInstanceOf(CompletionException.class)
                    .cause().isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.DATABASE_WRITE_FAILED));
        }
        try (Store reopened = db.open()) {
            assertThat(reopened.ledger().get(peer(0)).used()).isEqualTo(Amount.of(5));
            assertThat(reopened.ledger().get(peer(1)).used()).isEqualTo(Amount.of(1));
            assertThat(reopened.ledger().get(peer(2)).used()).isEqualTo(Amount.of(2));
        }
    }

    @ForAllDbs
    void manyConcurrentWritersAreAllDurable(TestDatabase db) throws Exception {
        int writers = 32;
        int writesEach = 10;
        try (Store store = db.open()) {
            concurrently(writers, writer -> () -> {
                for (int i = 0; i < writesEach; i++) {
                    store.ledger().adjust(peer(writer), use(1));
                }
                return null;
            });
        }
        try (Store reopened = db.open()) {
            for (int writer = 0; writer < writers; writer++) {
                assertThat(reopened.ledger().get(peer(writer)).used()).isEqualTo(Amount.of(writesEach));
            }
        }
    }

    @ForAllDbs
    void withBatchesOfOneEveryWriteCommitsAlone(TestDatabase db) throws Exception {
        try (Store store = db.withMaxBatch(1).open()) {
            long commitsBefore = store.committer().commits();
            CountDownLatch release = holdCommitter(store);
            List<CompletableFuture<LedgerBalance>> writes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                writes.add(store.committer().submit(JdbcLedgerStore.adjustment(peer(i), use(1))));
            }
            release.countDown();
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();

            assertThat(store.committer().commits() - commitsBefore).isEqualTo(6);
        }
    }

    @ForAllDbs
    void closeCommitsWhatWasQueuedAndRefusesLaterWrites(TestDatabase db) throws Exception {
        CompletableFuture<LedgerBalance> queued;
        Store store = db.open();
        try {
            CountDownLatch release = holdCommitter(store);
            queued = store.committer().submit(JdbcLedgerStore.adjustment(peer(0), use(7)));
            release.countDown();
        } finally {
            store.close();
        }

        assertThat(queued).isCompleted();
        assertThatThrownBy(() -> store.ledger().adjust(peer(0), use(1)))
                .isInstanceOfSatisfying(StoreException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_CLOSED));
        try (Store reopened = db.open()) {
            assertThat(reopened.ledger().get(peer(0)).used()).isEqualTo(Amount.of(7));
        }
    }
}
