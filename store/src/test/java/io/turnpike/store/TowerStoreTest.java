package io.turnpike.store;

import static io.turnpike.store.Fixtures.NODE;
import static io.turnpike.store.Fixtures.OTHER_PARTNER;
import static io.turnpike.store.Fixtures.PARTNER;
import static io.turnpike.store.Fixtures.TOKEN;
import static io.turnpike.store.Fixtures.concurrently;
import static io.turnpike.store.Fixtures.hash;
import static io.turnpike.store.Fixtures.proof;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Keccak256;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

class TowerStoreTest {

    /** More than 2^64, so an amount kept in a long or a double would be caught. */
    private static final Amount LARGE = new Amount(BigInteger.TEN.pow(30).add(BigInteger.valueOf(7)));
    private static final Instant CLOSED = Instant.parse("2025-06-01T12:00:00Z");
    private static final Instant ACT_AT = CLOSED.plusSeconds(1800);
    private static final Instant DEADLINE = CLOSED.plusSeconds(3600);
    private static final PrivateKey NODE_KEY = PrivateKey.fromHex("0x" + "17".repeat(32));

    /** An upload by NODE of PARTNER's proof; the amount follows from the nonce, so a mixed-up row is caught. */
    private static TowerUpload upload(long channelId, long nonce) {
        return upload(channelId, NODE, PARTNER, nonce);
    }

    private static TowerUpload upload(long channelId, Address nonCloser, Address closer, long nonce) {
        Amount transferred = LARGE.plus(Amount.of(nonce));
        return new TowerUpload(nonCloser, closer, TOKEN, proof(channelId, nonce, transferred), Amount.of(nonce * 3),
                requestSignature(channelId + "/" + nonce));
    }

    /** The store keeps the signature as given; whose it is, the tower checks before storing. */
    private static Signature requestSignature(String seed) {
        return NODE_KEY.sign(Keccak256.hash(seed.getBytes(StandardCharsets.UTF_8)));
    }

    @ForAllDbs
    void onlyAHigherNonceReplacesTheStoredProofAndItSurvivesAReopen(TestDatabase db) {
        try (Store store = db.open()) {
            TowerStore towers = store.towers();
            assertThat(towers.putIfNewer(upload(7, 5))).isTrue();
            assertThat(towers.putIfNewer(upload(7, 5))).isFalse();
            assertThat(towers.putIfNewer(upload(7, 4))).isFalse();
            assertThat(towers.putIfNewer(upload(7, 9))).isTrue();
        }
        try (Store store = db.open()) {
            TowerEntry entry = store.towers().get(7, NODE).orElseThrow();
            assertThat(entry.upload()).isEqualTo(upload(7, 9));
            assertThat(entry.watch()).isEqualTo(TowerWatch.watching());
            assertThat(store.towers().listChannel(7)).containsExactly(entry);
            assertThat(store.towers().get(7, PARTNER)).isEmpty();
            assertThat(store.towers().get(8, NODE)).isEmpty();
        }
    }

    @ForAllDbs
    void ofConcurrentUploadsOfDifferentNoncesTheHighestWins(TestDatabase db) throws Exception {
        int writers = 8;
        int each = 25;
        List<Long> nonces = new ArrayList<>();
        for (long nonce = 1; nonce <= writers * each; nonce++) {
            nonces.add(nonce);
        }
        Collections.shuffle(nonces, new Random(11));
        // Two stores on one database stand for two tower processes: the database, not the committer, decides.
        try (Store one = db.open(); Store two = db.open()) {
            List<Integer> stored = concurrently(writers, writer -> () -> {
                TowerStore towers = (writer % 2 == 0 ? one : two).towers();
                int took = 0;
                for (long nonce : nonces.subList(writer * each, (writer + 1) * each)) {
                    if (towers.putIfNewer(upload(3, nonce))) {
                        took++;
                    }
                    // Once a call returns, what is stored is at least as new as what it offered.
                    assertThat(towers.get(3, NODE).orElseThrow().upload().nonce()).isGreaterThanOrEqualTo(nonce);
                }
                return took;
            });

            assertThat(one.towers().listChannel(3)).extracting(TowerEntry::upload)
                    .containsExactly(upload(3, writers * each));
            assertThat(stored.stream().mapToInt(Integer::intValue).sum()).isPositive();
        }
    }

    @ForAllDbs
    void bothParticipantsOfAChannelKeepTheirOwnNewestProofAndAreListedByUploader(TestDatabase db) {
        try (Store store = db.open()) {
            TowerStore towers = store.towers();
            towers.putIfNewer(upload(1, NODE, PARTNER, 40));
            // The partner's own nonces count separately: a low one is not stale against NODE's.
            assertThat(towers.putIfNewer(upload(1, PARTNER, NODE, 2))).isTrue();
            towers.putIfNewer(upload(2, NODE, OTHER_PARTNER, 1));

            assertThat(towers.listChannel(1)).hasSize(2);
            assertThat(towers.listByNonCloser(NODE)).extracting(TowerEntry::upload)
                    .containsExactly(upload(1, NODE, PARTNER, 40), upload(2, NODE, OTHER_PARTNER, 1));
            assertThat(towers.listByNonCloser(PARTNER)).extracting(TowerEntry::upload)
                    .containsExactly(upload(1, PARTNER, NODE, 2));
            assertThat(towers.listByNonCloser(OTHER_PARTNER)).isEmpty();
        }
    }

    @ForAllDbs
    void aPlanMovesOnlyFromThePhaseItIsInAndComesDueAtItsMoment(TestDatabase db) {
        try (Store store = db.open()) {
            TowerStore towers = store.towers();
            towers.putIfNewer(upload(5, 1));
            TowerWatch scheduled = TowerWatch.scheduled(ACT_AT, DEADLINE);

            assertThat(towers.transition(5, NODE, TowerPhase.WATCHING, scheduled)).isTrue();
            // A ChannelClosed delivered again finds it no longer WATCHING.
            assertThat(towers.transition(5, NODE, TowerPhase.WATCHING, TowerWatch.scheduled(DEADLINE, DEADLINE)))
                    .isFalse();
            assertThat(towers.listDue(ACT_AT.minusSeconds(1))).isEmpty();
            assertThat(towers.listDue(ACT_AT)).extracting(TowerEntry::watch).containsExactly(scheduled);

            assertThat(towers.transition(5, NODE, TowerPhase.SCHEDULED, scheduled.submitting())).isTrue();
            assertThat(towers.listDue(DEADLINE)).isEmpty();
            assertThat(towers.listInPhase(TowerPhase.SUBMITTING)).hasSize(1);
            TowerWatch submitted = scheduled.submitting().submitted(hash("update"));
            assertThat(towers.transition(5, NODE, TowerPhase.SUBMITTING, submitted)).isTrue();
            assertThat(towers.transition(5, NODE, TowerPhase.SUBMITTING, submitted)).isFalse();
            assertThat(towers.transition(5, PARTNER, TowerPhase.SUBMITTED, submitted.done())).isFalse();
        }
        try (Store store = db.open()) {
            TowerWatch watch = store.towers().get(5, NODE).orElseThrow().watch();
            assertThat(watch).isEqualTo(new TowerWatch(TowerPhase.SUBMITTED, Optional.of(ACT_AT),
                    Optional.of(DEADLINE), Optional.of(hash("update"))));
        }
    }

    @ForAllDbs
    void aNewerProofForADoneEntryIsScheduledAgainButAPendingPlanIsLeftAlone(TestDatabase db) {
        try (Store store = db.open()) {
            TowerStore towers = store.towers();
            towers.putIfNewer(upload(5, 1));
            towers.putIfNewer(upload(6, 1));
            TowerWatch scheduled = TowerWatch.scheduled(ACT_AT, DEADLINE);
            towers.transition(5, NODE, TowerPhase.WATCHING, scheduled.done());
            towers.transition(6, NODE, TowerPhase.WATCHING, scheduled.submitting().submitted(hash("pending")));

            towers.putIfNewer(upload(5, 2));
            towers.putIfNewer(upload(6, 2));

            assertThat(towers.get(5, NODE).orElseThrow().watch()).isEqualTo(scheduled);
            assertThat(towers.get(6, NODE).orElseThrow().watch().phase()).isEqualTo(TowerPhase.SUBMITTED);
        }
    }

    @ForAllDbs
    void settlingDeletesTheChannelAndRecordsItsRewardExactlyOnce(TestDatabase db) {
        try (Store store = db.open()) {
            TowerStore towers = store.towers();
            towers.putIfNewer(upload(1, NODE, PARTNER, 3));
            towers.putIfNewer(upload(1, PARTNER, NODE, 3));
            towers.putIfNewer(upload(2, 3));
            TowerReward reward = new TowerReward(1, Address.ZERO, LARGE);

            towers.settled(1, 100, Optional.of(reward));
            towers.settled(1, 100, Optional.of(reward)); // the same ChannelSettled, delivered again
            towers.settled(4, 101, Optional.of(new TowerReward(4, Address.ZERO, LARGE)));
            towers.settled(5, 102, Optional.of(new TowerReward(5, TOKEN, Amount.of(9))));
            towers.settled(2, 103, Optional.empty());

            assertThat(towers.listChannel(1)).isEmpty();
            assertThat(towers.listChannel(2)).isEmpty();
            assertThat(towers.listByNonCloser(NODE)).isEmpty();
            assertThat(towers.listInPhase(TowerPhase.WATCHING)).isEmpty();
            assertThat(towers.reward(1)).contains(reward);
            assertThat(towers.reward(2)).isEmpty();
            assertThat(towers.rewardsEarned(Address.ZERO)).isEqualTo(LARGE.plus(LARGE));
            assertThat(towers.rewardsEarned(TOKEN)).isEqualTo(Amount.of(9));
        }
    }

    @ForAllDbs
    void aReorgBelowASettlementBringsItsEntriesBackAndTakesItsRewardAwayUntilItIsPurged(TestDatabase db) {
        try (Store store = db.open()) {
            TowerStore towers = store.towers();
            towers.putIfNewer(upload(1, NODE, PARTNER, 3));
            towers.putIfNewer(upload(2, 3));
            towers.settled(1, 100, Optional.of(new TowerReward(1, Address.ZERO, LARGE)));
            towers.settled(2, 105, Optional.of(new TowerReward(2, TOKEN, Amount.of(9))));

            assertThat(towers.unsettle(101)).containsExactly(2L);

            assertThat(towers.listChannel(2)).hasSize(1);
            assertThat(towers.reward(2)).isEmpty();
            assertThat(towers.rewardsEarned(TOKEN)).isEqualTo(Amount.ZERO);
            assertThat(towers.listChannel(1)).as("settled below the re-org").isEmpty();
            assertThat(towers.reward(1)).isPresent();

            towers.settled(2, 106, Optional.of(new TowerReward(2, TOKEN, Amount.of(9)))); // settled again
            towers.purgeSettled(106);
            assertThat(towers.get(1, NODE)).as("purged").isEmpty();
            assertThat(towers.unsettle(106)).containsExactly(2L);
            assertThat(towers.rewardsEarned(Address.ZERO)).as("a purged settlement's reward stays").isEqualTo(LARGE);
        }
    }
}
