package io.turnpike.store;

import static io.turnpike.store.Fixtures.MAX;
import static io.turnpike.store.Fixtures.OTHER_PARTNER;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.concurrently;
import static io.turnpike.store.Fixtures.openChannel;
import static io.turnpike.store.Fixtures.proof;
import static io.turnpike.store.Fixtures.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Amount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

class ChannelStoreTest {

    @ForAllDbs
    void channelRoundTripsEveryFieldExactly(TestDatabase db) {
        Channel channel = new Channel(ref(7), Fixtures.NODE, PARTNER, Fixtures.TOKEN, Role.B, ChannelState.CLOSED,
                86_400, new ChannelSide(MAX, Amount.of(1)), new ChannelSide(Amount.of(5), MAX),
                Optional.of(Instant.parse("2030-01-02T03:04:05Z")),
                Optional.of(proof(7, Long.MAX_VALUE, MAX)), Optional.of(proof(7, 3, Amount.of(3))));
        try (Store store = db.open()) {
            store.channels().put(channel);

            assertThat(store.channels().get(ref(7))).contains(channel);
            assertThat(store.channels().get(ref(8))).isEmpty();
        }
    }

    @ForAllDbs
    void putReplacesTheStoredChannel(TestDatabase db) {
        try (Store store = db.open()) {
            Channel opened = openChannel(1, PARTNER);
            store.channels().put(opened);
            Channel closed = new Channel(opened.ref(), opened.us(), opened.partner(), opened.token(), opened.ourRole(),
                    ChannelState.CLOSED, opened.challengePeriodSeconds(), new ChannelSide(Amount.of(100), Amount.ZERO),
                    opened.theirs(), Optional.of(Instant.parse("2030-01-01T00:00:00Z")), Optional.of(proof(2)),
                    Optional.of(proof(4)));

            store.channels().put(closed);

            assertThat(store.channels().get(opened.ref())).contains(closed);
            assertThat(store.channels().list()).containsExactly(closed);
        }
    }

    @ForAllDbs
    void writingBackAStaleCopyNeverMovesAProofBackwards(TestDatabase db) {
        try (Store store = db.open()) {
            Channel stale = openChannel(1, PARTNER);
            store.channels().put(stale);
            store.channels().recordProof(stale.ref(), Direction.RECEIVED, proof(9));
            store.channels().recordProof(stale.ref(), Direction.SENT, proof(4));

            store.channels().put(stale);

            Channel stored = store.channels().get(stale.ref()).orElseThrow();
            assertThat(stored.received()).contains(proof(9));
            assertThat(stored.sent()).contains(proof(4));
        }
    }

    @ForAllDbs
    void listsAllByPartnerAndOpenOnly(TestDatabase db) {
        try (Store store = db.open()) {
            Channel first = openChannel(1, PARTNER);
            Channel second = openChannel(2, OTHER_PARTNER);
            Channel settled = new Channel(ref(3), Fixtures.NODE, PARTNER, Fixtures.TOKEN, Role.A, ChannelState.SETTLED,
                    60, ChannelSide.EMPTY, ChannelSide.EMPTY, Optional.empty(), Optional.empty(), Optional.empty());
            store.channels().put(settled);
            store.channels().put(second);
            store.channels().put(first);

            assertThat(store.channels().list()).containsExactly(first, second, settled);
            assertThat(store.channels().listByPartner(PARTNER)).containsExactly(first, settled);
            assertThat(store.channels().listOpen()).containsExactly(first, second);
        }
    }

    @ForAllDbs
    void aProofIsKeptOnlyIfItsNonceIsHigher(TestDatabase db) {
        try (Store store = db.open()) {
            ChannelRef ref = ref(1);
            store.channels().put(openChannel(1, PARTNER));

            assertThat(store.channels().recordProof(ref, Direction.RECEIVED, proof(5))).isTrue();
            assertThat(store.channels().recordProof(ref, Direction.RECEIVED, proof(5))).isFalse();
            assertThat(store.channels().recordProof(ref, Direction.RECEIVED, proof(4))).isFalse();
            assertThat(store.channels().recordProof(ref, Direction.RECEIVED, proof(6))).isTrue();

            Channel stored = store.channels().get(ref).orElseThrow();
            assertThat(stored.received()).contains(proof(6));
            assertThat(stored.sent()).isEmpty();
        }
    }

    @ForAllDbs
    void aProofSignedForAnotherChannelIsRefused(TestDatabase db) {
        try (Store store = db.open()) {
            store.channels().put(openChannel(1, PARTNER));

            assertThatThrownBy(() -> store.channels().recordProof(ref(1), Direction.RECEIVED,
                    proof(2, 5, Amount.of(5)))).isInstanceOf(IllegalArgumentException.class);
            assertThat(store.channels().get(ref(1)).orElseThrow().received()).isEmpty();
        }
    }

    @ForAllDbs
    void aProofForAnUnknownChannelIsRefused(TestDatabase db) {
        try (Store store = db.open()) {
            assertThatThrownBy(() -> store.channels().recordProof(ref(42), Direction.RECEIVED, proof(42, 1, Amount.of(1))))
                    .isInstanceOfSatisfying(StoreException.class,
                            e -> assertThat(e.code()).isEqualTo(StoreException.Code.UNKNOWN_CHANNEL));
        }
    }

    @ForAllDbs
    void concurrentProofsKeepTheNewestAndNeverRegress(TestDatabase db) throws Exception {
        int writers = 8;
        int proofsEach = 40;
        List<Long> nonces = new ArrayList<>();
        for (long nonce = 1; nonce <= writers * proofsEach; nonce++) {
            nonces.add(nonce);
        }
        Collections.shuffle(nonces, new Random(7));
        try (Store store = db.open()) {
            ChannelRef ref = ref(1);
            store.channels().put(openChannel(1, PARTNER));

            List<Integer> taken = concurrently(writers, writer -> () -> {
                int took = 0;
                for (long nonce : nonces.subList(writer * proofsEach, (writer + 1) * proofsEach)) {
                    if (store.channels().recordProof(ref, Direction.RECEIVED, proof(nonce))) {
                        took++;
                    }
                    // Once a call returns, the stored proof is at least as new as the one it offered.
                    assertThat(store.channels().get(ref).orElseThrow().received().orElseThrow().message().nonce())
                            .isGreaterThanOrEqualTo(nonce);
                }
                return took;
            });

            assertThat(store.channels().get(ref).orElseThrow().received()).contains(proof(writers * proofsEach));
            assertThat(taken.stream().mapToInt(Integer::intValue).sum()).isPositive();
        }
    }
}
