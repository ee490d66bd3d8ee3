package io.turnpike.store;

import io.turnpike.core.ErrorCode;
import static io.turnpike.store.Fixtures.MAX;
import static io.turnpike.store.Fixtures.NODE;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.concurrently;
import static io.turnpike.store.Fixtures.hash;
import static io.turnpike.store.Fixtures.tx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.LongStream;

class TxStoreTest {

    private static final BlockRef BLOCK = new BlockRef(1234, hash("block 1234"));

    @ForAllDbs
    void aRecordedTransactionRoundTripsExactly(TestDatabase db) {
        OutgoingTx tx = new OutgoingTx(NODE, 0, PARTNER, MAX, new byte[0], new byte[] {(byte) 0x02, (byte) 0xf8, 0},
                hash("tx"), MAX, MAX, "tower.reward");
        try (Store store = db.open()) {
            StoredTx recorded = store.transactions().record(tx);

            StoredTx expected = new StoredTx(tx, TxStatus.RECORDED, Optional.empty(), Optional.empty(),
                    TestDatabase.NOW, TestDatabase.NOW);
            assertThat(recorded).isEqualTo(expected);
            assertThat(store.transactions().findByHash(tx.hash())).contains(expected);
            assertThat(store.transactions().findByHash(hash("unknown"))).isEmpty();
        }
    }

    @ForAllDbs
    void statusFollowsMiningAReorgAndConfirmation(TestDatabase db) {
        OutgoingTx tx = tx(0, "deposit");
        try (Store store = db.open()) {
            TxStore txs = store.transactions();
            txs.record(tx);

            assertThat(txs.updateStatus(tx.hash(), TxStatus.SENT, Optional.empty()).status()).isEqualTo(TxStatus.SENT);
            assertThat(txs.updateStatus(tx.hash(), TxStatus.MINED, Optional.of(BLOCK)).block()).contains(BLOCK);
            StoredTx reorged = txs.updateStatus(tx.hash(), TxStatus.SENT, Optional.empty());
            assertThat(reorged.status()).isEqualTo(TxStatus.SENT);
            assertThat(reorged.block()).isEmpty();
            txs.updateStatus(tx.hash(), TxStatus.CONFIRMED, Optional.of(BLOCK));

            StoredTx confirmed = txs.findByHash(tx.hash()).orElseThrow();
            assertThat(confirmed.status()).isEqualTo(TxStatus.CONFIRMED);
            assertThat(confirmed.block()).contains(BLOCK);
            assertThat(txs.listNonFinal()).isEmpty();
        }
    }

    @ForAllDbs
    void updatingAnUnknownTransactionIsRefused(TestDatabase db) {
        try (Store store = db.open()) {
            assertThatThrownBy(() -> store.transactions().updateStatus(hash("nope"), TxStatus.SENT, Optional.empty()))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_TRANSACTION));
            assertThatThrownBy(() -> store.transactions().updateStatus(hash("nope"), TxStatus.MINED, Optional.empty()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @ForAllDbs
    void aReplacementSupersedesTheStuckTransactionInOneStep(TestDatabase db) {
        OutgoingTx stuck = tx(3, "stuck");
        OutgoingTx bumped = new OutgoingTx(stuck.sender(), stuck.nonce(), stuck.to(), stuck.value(), stuck.data(),
                new byte[] {7}, hash("bumped"), stuck.maxFeePerGas().times(2), stuck.maxPriorityFeePerGas().times(2),
                stuck.purpose());
        try (Store store = db.open()) {
            TxStore txs = store.transactions();
            txs.record(stuck);
            txs.updateStatus(stuck.hash(), TxStatus.SENT, Optional.empty());

            StoredTx replacement = txs.replace(stuck.hash(), bumped);

            assertThat(replacement.tx()).isEqualTo(bumped);
            assertThat(replacement.status()).isEqualTo(TxStatus.RECORDED);
            StoredTx old = txs.findByHash(stuck.hash()).orElseThrow();
            assertThat(old.status()).isEqualTo(TxStatus.REPLACED);
            assertThat(old.replacedBy()).contains(bumped.hash());
            assertThat(txs.listNonFinal()).extracting(StoredTx::tx).containsExactly(bumped);

            assertThatThrownBy(() -> txs.replace(stuck.hash(), tx(3, "again")))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.TRANSACTION_FINAL));
            assertThatThrownBy(() -> txs.replace(bumped.hash(), tx(4, "other nonce")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(txs.findByHash(hash("other nonce"))).isEmpty();
        }
    }

    @ForAllDbs
    void nonFinalTransactionsAreListedBySenderAndNonce(TestDatabase db) {
        try (Store store = db.open()) {
            TxStore txs = store.transactions();
            OutgoingTx second = txs.record(tx(2, "second")).tx();
            OutgoingTx first = txs.record(tx(1, "first")).tx();
            OutgoingTx dropped = txs.record(tx(0, "dropped")).tx();
            txs.updateStatus(dropped.hash(), TxStatus.DROPPED, Optional.empty());
            txs.updateStatus(second.hash(), TxStatus.MINED, Optional.of(BLOCK));

            assertThat(txs.listNonFinal()).extracting(StoredTx::tx).containsExactly(first, second);
        }
    }

    @ForAllDbs
    void confirmedTransactionsAreListedFromABlockOnForTheirSenderOnly(TestDatabase db) {
        try (Store store = db.open()) {
            TxStore txs = store.transactions();
            OutgoingTx older = txs.record(tx(0, "older")).tx();
            OutgoingTx recent = txs.record(tx(1, "recent")).tx();
            OutgoingTx mined = txs.record(tx(2, "mined")).tx();
            txs.updateStatus(older.hash(), TxStatus.CONFIRMED, Optional.of(new BlockRef(1233, hash("block 1233"))));
            txs.updateStatus(recent.hash(), TxStatus.CONFIRMED, Optional.of(BLOCK));
            txs.updateStatus(mined.hash(), TxStatus.MINED, Optional.of(BLOCK));

            assertThat(txs.listConfirmedSince(NODE, 1234)).extracting(StoredTx::tx).containsExactly(recent);
            assertThat(txs.listConfirmedSince(NODE, 0)).extracting(StoredTx::tx).containsExactly(older, recent);
            assertThat(txs.listConfirmedSince(PARTNER, 0)).isEmpty();
        }
    }

    @ForAllDbs
    void nextNonceStartsAtTheFloorAndNeverRepeats(TestDatabase db) {
        try (Store store = db.open()) {
            TxStore txs = store.transactions();

            assertThat(txs.nextNonce(NODE, 0)).isZero();
            assertThat(txs.nextNonce(NODE, 0)).isEqualTo(1);
            assertThat(txs.nextNonce(NODE, 10)).isEqualTo(10);
            assertThat(txs.nextNonce(NODE, 3)).isEqualTo(11);
            txs.record(tx(20, "recorded elsewhere"));
            assertThat(txs.nextNonce(NODE, 0)).isEqualTo(21);
            assertThat(txs.nextNonce(PARTNER, 0)).isZero();
        }
        try (Store reopened = db.open()) {
            assertThat(reopened.transactions().nextNonce(NODE, 0)).isEqualTo(22);
        }
    }

    @ForAllDbs
    void concurrentReservationsGetDistinctNonces(TestDatabase db) throws Exception {
        int senders = 16;
        int reservationsEach = 20;
        try (Store store = db.open()) {
            List<List<Long>> reserved = concurrently(senders, sender -> () -> LongStream.range(0, reservationsEach)
                    .map(i -> store.transactions().nextNonce(NODE, 5))
                    .boxed()
                    .toList());

            Set<Long> distinct = new HashSet<>();
            reserved.forEach(distinct::addAll);
            assertThat(distinct).hasSize(senders * reservationsEach);
            assertThat(distinct).containsAll(LongStream.range(5, 5 + senders * reservationsEach).boxed().toList());
        }
    }

    @ForAllDbs
    void theSignedEncodingNeverReachesALog(TestDatabase db) {
        byte[] raw = {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef, 0x42};
        OutgoingTx tx = new OutgoingTx(NODE, 1, PARTNER, MAX, new byte[] {(byte) 0xca, (byte) 0xfe}, raw,
                hash("secret"), MAX, MAX, "channel.open");
        try (Store store = db.open()) {
            StoredTx stored = store.transactions().record(tx);

            assertThat(stored.tx().raw()).isEqualTo(raw);
            assertThat(stored.toString()).doesNotContain(HexFormat.of().formatHex(raw)).doesNotContain("cafe");
        }
    }
}
