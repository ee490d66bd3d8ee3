package io.turnpike.store;

import static io.turnpike.store.Fixtures.OTHER_PARTNER;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.PARTNER_KEY;
import static io.turnpike.store.Fixtures.hash;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.crypto.PublicKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.OptionalLong;

/** The mailbox aggregate on both engines: quota, ids, deletion, retention, request nonces. */
class MailboxStoreTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @ForAllDbs
    void deliveriesGetGrowingIdsAndAreReadBackInOrderAfterAnId(TestDatabase db) {
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));
            assertThat(mailboxes.deliver(PARTNER, bytes("first"), 1000)).hasValue(1);
            assertThat(mailboxes.deliver(PARTNER, bytes("second"), 1000)).hasValue(2);
            assertThat(mailboxes.deliver(OTHER_PARTNER, bytes("elsewhere"), 1000)).hasValue(1);

            List<StoredEnvelope> all = mailboxes.after(PARTNER, 0, 10);
            assertThat(all).extracting(StoredEnvelope::id).containsExactly(1L, 2L);
            assertThat(all.get(1).envelope()).isEqualTo(bytes("second"));
            assertThat(all.get(0).receivedAt()).isEqualTo(TestDatabase.NOW);
            assertThat(mailboxes.after(PARTNER, 1, 10)).extracting(StoredEnvelope::id).containsExactly(2L);
            assertThat(mailboxes.after(PARTNER, 0, 1)).extracting(StoredEnvelope::id).containsExactly(1L);
            assertThat(mailboxes.usage(PARTNER)).isEqualTo(new MailboxUsage(11, 2, 2));
        }
    }

    @ForAllDbs
    void aDeliveryOverTheQuotaStoresNothing(TestDatabase db) {
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));
            assertThat(mailboxes.deliver(PARTNER, new byte[60], 100)).hasValue(1);

            assertThat(mailboxes.deliver(PARTNER, new byte[41], 100)).isEmpty();
            assertThat(mailboxes.deliver(OTHER_PARTNER, new byte[101], 100)).isEmpty();

            assertThat(mailboxes.usage(PARTNER)).isEqualTo(new MailboxUsage(60, 1, 1));
            assertThat(mailboxes.usage(OTHER_PARTNER)).isEqualTo(MailboxUsage.EMPTY);
            assertThat(mailboxes.deliver(PARTNER, new byte[40], 100)).hasValue(2);
        }
    }

    @ForAllDbs
    void deletingFreesQuotaAndIdsGoOnAfterAnErase(TestDatabase db) {
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));
            for (int i = 0; i < 3; i++) {
                mailboxes.deliver(PARTNER, new byte[10], 100);
            }

            assertThat(mailboxes.deleteThrough(PARTNER, 2)).isEqualTo(2);
            assertThat(mailboxes.usage(PARTNER)).isEqualTo(new MailboxUsage(10, 1, 3));
            assertThat(mailboxes.nonEmpty()).containsExactly(PARTNER);

            assertThat(mailboxes.erase(PARTNER)).isEqualTo(1);
            assertThat(mailboxes.nonEmpty()).isEmpty();
            assertThat(mailboxes.deliver(PARTNER, new byte[10], 100)).as("never an id handed out before").hasValue(4);
        }
    }

    @ForAllDbs
    void envelopesPastTheirRetentionAreDeleted(TestDatabase db) {
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));
            mailboxes.deliver(PARTNER, new byte[10], 100);

            assertThat(mailboxes.deleteReceivedBefore(PARTNER, TestDatabase.NOW)).isZero();
            assertThat(mailboxes.deleteReceivedBefore(PARTNER, TestDatabase.NOW.plusMillis(1))).isEqualTo(1);
            assertThat(mailboxes.usage(PARTNER).storedBytes()).isZero();
        }
    }

    @ForAllDbs
    void aRequestNonceIsTakenOnceAndItsOwnersKeyIsKept(TestDatabase db) {
        PublicKey key = PublicKey.of(PARTNER_KEY);
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));
            assertThat(mailboxes.key(PARTNER)).isEmpty();

            assertThat(mailboxes.claimRequest(PARTNER, key, hash("n1"), 1_000)).isTrue();
            assertThat(mailboxes.claimRequest(PARTNER, key, hash("n1"), 1_000)).as("a replay").isFalse();
            assertThat(mailboxes.claimRequest(OTHER_PARTNER, key, hash("n1"), 1_000)).isTrue();
            assertThat(mailboxes.key(PARTNER)).contains(key);

            assertThat(mailboxes.forgetNoncesExpiredBefore(1_000)).isZero();
            assertThat(mailboxes.forgetNoncesExpiredBefore(1_001)).isEqualTo(2);
        }
        try (Store reopened = db.open()) {
            assertThat(MailboxStore.of(reopened, clock(db)).key(PARTNER)).contains(key);
        }
    }

    @ForAllDbs
    void aFetchNonceIsRefusedAgainAtOnceWhetherItsWriteIsCommittedYetOrNotAndAfterARestart(TestDatabase db) {
        PublicKey key = PublicKey.of(PARTNER_KEY);
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));

            assertThat(mailboxes.claimReadRequest(PARTNER, key, hash("f1"), 1_000)).isTrue();
            assertThat(mailboxes.claimReadRequest(PARTNER, key, hash("f1"), 1_000)).as("a replay").isFalse();
            assertThat(mailboxes.claimRequest(PARTNER, key, hash("f1"), 1_000)).as("as a delete").isFalse();
            assertThat(mailboxes.key(PARTNER)).as("known before it is committed").contains(key);
            assertThat(mailboxes.claimRequest(PARTNER, key, hash("d1"), 1_000)).isTrue();
            assertThat(mailboxes.claimReadRequest(PARTNER, key, hash("d1"), 1_000)).as("a delete's nonce").isFalse();
        }
        try (Store reopened = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(reopened, clock(db));
            assertThat(mailboxes.claimReadRequest(PARTNER, key, hash("f1"), 1_000)).as("after a restart").isFalse();
            assertThat(mailboxes.key(PARTNER)).contains(key);
        }
    }

    @ForAllDbs
    void concurrentDeliveriesNeverTakeAMailboxOverItsQuota(TestDatabase db) throws Exception {
        try (Store store = db.open()) {
            MailboxStore mailboxes = MailboxStore.of(store, clock(db));
            List<OptionalLong> results = Fixtures.concurrently(16, i -> () -> mailboxes.deliver(PARTNER, new byte[10], 95));

            assertThat(results.stream().filter(OptionalLong::isPresent)).hasSize(9);
            assertThat(mailboxes.usage(PARTNER)).isEqualTo(new MailboxUsage(90, 9, 9));
        }
    }

    private static Clock clock(TestDatabase db) {
        return db.config().clock();
    }
}
