package io.turnpike.store;

import static io.turnpike.store.Fixtures.OTHER_PARTNER;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.TOKEN;
import static io.turnpike.store.Fixtures.concurrently;
import static io.turnpike.store.Fixtures.hash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

class TransferStoreTest {

    /** More than 2^64 wei, so a total kept in a long or a double would be caught. */
    private static final Amount LARGE = new Amount(BigInteger.TEN.pow(30).add(BigInteger.valueOf(7)));

    private static ReceivedTransfer received(String seed, Address peer, Address token, Amount amount) {
        return new ReceivedTransfer(hash(seed), peer, token, amount, new BlockRef(12, hash("block of " + seed)));
    }

    @ForAllDbs
    void aTransactionIsCreditedOnceEverEvenAfterAReopen(TestDatabase db) {
        ReceivedTransfer first = received("tx 1", PARTNER, Address.ZERO, LARGE);
        try (Store store = db.open()) {
            assertThat(store.transfers().credit(first)).isTrue();
            // The same transaction again, whoever names it and whatever it claims, is refused.
            assertThat(store.transfers().credit(first)).isFalse();
            assertThat(store.transfers().credit(received("tx 1", OTHER_PARTNER, Address.ZERO, Amount.of(1)))).isFalse();
        }
        try (Store store = db.open()) {
            assertThat(store.transfers().credit(first)).isFalse();
            assertThat(store.transfers().received(hash("tx 1"))).contains(first);
            assertThat(store.transfers().received(hash("tx 2"))).isEmpty();
            assertThat(store.transfers().receivedTotal(PARTNER, Address.ZERO)).isEqualTo(LARGE);
        }
    }

    @ForAllDbs
    void ofConcurrentCreditsOfOneTransactionFromTwoStoresExactlyOneWins(TestDatabase db) throws Exception {
        ReceivedTransfer transfer = received("contested", PARTNER, Address.ZERO, LARGE);
        // Two stores on one database stand for two processes: the database, not the committer, must decide.
        try (Store one = db.open(); Store two = db.open()) {
            List<Boolean> wins = concurrently(16, i -> () -> (i % 2 == 0 ? one : two).transfers().credit(transfer));

            assertThat(wins).containsOnlyOnce(true);
            assertThat(one.transfers().receivedTotal(PARTNER, Address.ZERO)).isEqualTo(LARGE);
        }
    }

    @ForAllDbs
    void receivedTotalsAreExactPerPeerAndAsset(TestDatabase db) {
        try (Store store = db.open()) {
            store.transfers().credit(received("a", PARTNER, Address.ZERO, LARGE));
            store.transfers().credit(received("b", PARTNER, Address.ZERO, LARGE));
            store.transfers().credit(received("c", PARTNER, TOKEN, Amount.of(5)));
            store.transfers().credit(received("d", OTHER_PARTNER, Address.ZERO, Amount.of(9)));

            assertThat(store.transfers().receivedTotal(PARTNER, Address.ZERO)).isEqualTo(LARGE.plus(LARGE));
            assertThat(store.transfers().receivedTotal(PARTNER, TOKEN)).isEqualTo(Amount.of(5));
            assertThat(store.transfers().receivedTotal(OTHER_PARTNER, TOKEN)).isEqualTo(Amount.ZERO);
        }
    }

    @ForAllDbs
    void aSentTransferMovesThroughItsStatesAndOnlyAcknowledgedOnesCountAsPaid(TestDatabase db) {
        SentTransfer prepared = SentTransfer.prepared(PARTNER, Address.ZERO, LARGE);
        SentTransfer failed = SentTransfer.prepared(PARTNER, Address.ZERO, Amount.of(3));
        SentTransfer otherToken = SentTransfer.prepared(PARTNER, TOKEN, Amount.of(4)).submitted(hash("token tx"));
        try (Store store = db.open()) {
            store.transfers().putSent(prepared);
            store.transfers().putSent(failed);
            store.transfers().putSent(otherToken.confirmed(hash("token tx")).acknowledged());
            assertThat(store.transfers().listSentUnfinished()).containsExactlyInAnyOrder(prepared, failed);

            store.transfers().putSent(prepared.submitted(hash("first version")));
            store.transfers().putSent(failed.failed());
            assertThat(store.transfers().listSentUnfinished()).containsExactly(prepared.submitted(hash("first version")));
            assertThat(store.transfers().sentAcknowledged(PARTNER, Address.ZERO)).isEqualTo(Amount.ZERO);

            store.transfers().putSent(prepared.confirmed(hash("replacement")));
        }
        try (Store store = db.open()) {
            SentTransfer confirmed = store.transfers().sent(prepared.paymentId()).orElseThrow();
            assertThat(confirmed.state()).isEqualTo(SentTransfer.State.CONFIRMED);
            assertThat(confirmed.txHash()).contains(hash("replacement"));

            store.transfers().putSent(confirmed.acknowledged());

            assertThat(store.transfers().listSentUnfinished()).isEmpty();
            assertThat(store.transfers().sentAcknowledged(PARTNER, Address.ZERO)).isEqualTo(LARGE);
            assertThat(store.transfers().sentAcknowledged(PARTNER, TOKEN)).isEqualTo(Amount.of(4));
            assertThat(store.transfers().sentAcknowledged(OTHER_PARTNER, Address.ZERO)).isEqualTo(Amount.ZERO);
        }
    }

    @ForAllDbs
    void aSentTransferNamesItsTransactionExactlyWhenItHasOne(TestDatabase db) {
        SentTransfer prepared = SentTransfer.prepared(PARTNER, Address.ZERO, Amount.of(1));
        assertThatThrownBy(() -> new SentTransfer(prepared.paymentId(), PARTNER, Address.ZERO, Amount.of(1),
                SentTransfer.State.PREPARED, Optional.of(hash("x")))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SentTransfer(prepared.paymentId(), PARTNER, Address.ZERO, Amount.of(1),
                SentTransfer.State.CONFIRMED, Optional.empty())).isInstanceOf(IllegalArgumentException.class);
        try (Store store = db.open()) {
            store.transfers().putSent(prepared.failed());
            assertThat(store.transfers().sent(prepared.paymentId())).contains(prepared.failed());
        }
    }
}
