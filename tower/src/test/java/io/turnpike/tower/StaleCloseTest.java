package io.turnpike.tower;

import static io.turnpike.chain.ChannelFixture.PERIOD;
import static io.turnpike.chain.ChannelFixture.ether;
import static io.turnpike.tower.TowerHarness.advance;
import static io.turnpike.tower.Uploads.upload;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.AnvilExtension;
import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.MutableClock;
import io.turnpike.chain.TxReceipt;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.chain.tx.TxConfig;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import io.turnpike.store.StoredTx;
import io.turnpike.store.TowerEntry;
import io.turnpike.store.TowerPhase;
import io.turnpike.store.TowerReward;
import io.turnpike.store.TxStatus;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alice pays Bob, Bob leaves Alice's newest proof with a tower and goes offline, and Alice closes the channel
 * claiming she paid nothing. The tower must put Bob's proof on chain inside the challenge period, be paid its
 * reward out of Bob's payout at settle, and never spend gas twice, through stops, restarts and rival towers.
 */
@ExtendWith(AnvilExtension.class)
class StaleCloseTest {

    private static final Amount ALICE_DEPOSIT = ether(10);
    private static final Amount BOB_DEPOSIT = ether(1);
    /** What Alice's newest proof (nonce 3) says she has paid Bob. */
    private static final Amount PAID = ether(3);
    private static final Amount REWARD = Amount.of(10_000_000_000_000_000L);

    @Test
    void staleCloseIsOverturnedInTheTowersWindowAndTheRewardPaidAtSettle(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            assertThat(tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 2, ether(2), REWARD,
                    tower.address())).status()).isEqualTo(200);
            TowerHarness.Reply accepted = tower.post("/v1/proofs",
                    upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            assertThat(accepted.status()).isEqualTo(200);
            Signed<MonitorReceipt> receipt = new Signed<>(new MonitorReceipt(id, 3, PAID, f.bob.address()),
                    Signature.fromHex(accepted.body().get("receipt").asString()));
            assertThat(receipt.isSignedBy(tower.address(), f.domain())).isTrue();
            long towerTxs = tower.sentOnChain();
            Amount towerBefore = tower.balance();

            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            tower.tick();

            TowerEntry planned = tower.towers().get(id, f.bob.address()).orElseThrow();
            long closedAt = f.channels.channel(id).settleAt() - PERIOD;
            assertThat(planned.watch().phase()).isEqualTo(TowerPhase.SCHEDULED);
            assertThat(planned.watch().actAt().orElseThrow()).isBetween(
                    Instant.ofEpochSecond(closedAt + PERIOD / 2), Instant.ofEpochSecond(closedAt + PERIOD * 6 / 10));

            // Before its window the tower leaves Bob the chance to answer himself, for free.
            advance(f, clock, PERIOD / 2 - 60);
            tower.tick();
            assertThat(tower.sentOnChain()).isEqualTo(towerTxs);

            advance(f, clock, PERIOD / 10 + 120);
            Bytes32 update = tower.tickUntil(id, f.bob.address(), TowerPhase.SUBMITTED).watch().txHash().orElseThrow();
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);
            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);

            advance(f, clock, PERIOD);
            Amount bobBefore = f.bob.balance();
            Amount aliceBefore = f.alice.balance();
            f.channels.settle(f.outsider, id);
            tower.tick();

            assertThat(f.bob.balance()).isEqualTo(bobBefore.plus(BOB_DEPOSIT).plus(PAID).minus(REWARD));
            assertThat(f.alice.balance()).isEqualTo(aliceBefore.plus(ALICE_DEPOSIT).minus(PAID));
            assertThat(tower.balance()).isEqualTo(towerBefore.plus(REWARD).minus(fee(f, update)));
            assertThat(tower.sentOnChain()).isEqualTo(towerTxs + 1);
            assertThat(tower.towers().reward(id)).contains(new TowerReward(id, Address.ZERO, REWARD));
            assertThat(tower.towers().listChannel(id)).isEmpty();
        }
    }

    @Test
    void aSettlementTheChainTakesBackIsUndoneAndItsRewardCountedOnceWhenItSettlesAgain(ChannelFixture f,
                                                                                      @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            tower.tick();
            advance(f, clock, PERIOD * 7 / 10);
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);
            advance(f, clock, PERIOD);
            f.channels.settle(f.outsider, id);
            tower.tick();
            assertThat(tower.towers().reward(id)).contains(new TowerReward(id, Address.ZERO, REWARD));

            f.anvil.reorg(1, List.of()); // the block with the settlement is replaced by one without it
            tower.tick();

            assertThat(tower.towers().reward(id)).as("no longer earned").isEmpty();
            assertThat(tower.towers().listChannel(id)).as("watched again").hasSize(1);

            f.channels.settle(f.outsider, id);
            tower.tick();
            assertThat(tower.towers().reward(id)).contains(new TowerReward(id, Address.ZERO, REWARD));
            assertThat(tower.towers().rewardsEarned(Address.ZERO)).as("counted once").isEqualTo(REWARD);
            assertThat(tower.towers().listChannel(id)).isEmpty();
        }
    }

    @Test
    void aTowerDownAtTheCloseButBackWithinTheWindowStillAnswers(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            tower.tick();
            tower.stop();

            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            // Its moment passes while it is down; the challenge period has not.
            advance(f, clock, PERIOD * 7 / 10);
            tower.start();
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);

            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);
            advance(f, clock, PERIOD);
            Amount bobBefore = f.bob.balance();
            f.channels.settle(f.outsider, id);
            tower.tick();
            assertThat(f.bob.balance()).isEqualTo(bobBefore.plus(BOB_DEPOSIT).plus(PAID).minus(REWARD));
            assertThat(tower.towers().reward(id)).contains(new TowerReward(id, Address.ZERO, REWARD));
        }
    }

    @Test
    void ofTwoTowersGuardingOneChannelOnlyTheFirstSpendsGas(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness one = TowerHarness.started(f, f.towerKey, clock, dir.resolve("one"));
                TowerHarness two = TowerHarness.started(f, f.anvil.devKeys().get(5), clock, dir.resolve("two"))) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            for (TowerHarness tower : new TowerHarness[] {one, two}) {
                tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            }
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            one.tick();
            two.tick();
            Instant oneAt = one.towers().get(id, f.bob.address()).orElseThrow().watch().actAt().orElseThrow();
            Instant twoAt = two.towers().get(id, f.bob.address()).orElseThrow().watch().actAt().orElseThrow();
            TowerHarness first = oneAt.isBefore(twoAt) ? one : two;
            TowerHarness second = first == one ? two : one;
            Instant firstAt = first == one ? oneAt : twoAt;
            Instant secondAt = first == one ? twoAt : oneAt;
            assertThat(Duration.between(firstAt, secondAt)).isGreaterThan(Duration.ofSeconds(2));
            long secondTxs = second.sentOnChain();
            Amount secondBalance = second.balance();

            advance(f, clock, Duration.between(clock.instant(), firstAt).toSeconds() + 1);
            first.tick();
            second.tick();
            first.tickUntil(id, f.bob.address(), TowerPhase.DONE);
            advance(f, clock, Duration.between(clock.instant(), secondAt).toSeconds() + 1);
            second.tickUntil(id, f.bob.address(), TowerPhase.DONE);

            assertThat(second.sentOnChain()).isEqualTo(secondTxs);
            assertThat(second.balance()).isEqualTo(secondBalance);
            advance(f, clock, PERIOD);
            f.channels.settle(f.outsider, id);
            first.tick();
            second.tick();
            assertThat(first.towers().reward(id)).contains(new TowerReward(id, Address.ZERO, REWARD));
            assertThat(second.towers().reward(id)).isEmpty();
            assertThat(second.towers().listChannel(id)).isEmpty();
        }
    }

    @Test
    void aTowerStoppedAfterPlanningSubmitsOnceAcrossRestarts(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            long towerTxs = tower.sentOnChain();
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            tower.tickUntil(id, f.bob.address(), TowerPhase.SCHEDULED);
            tower.stop();

            advance(f, clock, PERIOD * 7 / 10);
            tower.start();
            tower.tickUntil(id, f.bob.address(), TowerPhase.SUBMITTED);
            tower.stop();
            tower.start();
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);
            tower.tick();

            assertThat(tower.sentOnChain()).isEqualTo(towerTxs + 1);
            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);
        }
    }

    @Test
    void anUpdateRecordedJustBeforeACrashIsAdoptedNotSentAgain(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            long towerTxs = tower.sentOnChain();
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            TowerEntry planned = tower.tickUntil(id, f.bob.address(), TowerPhase.SCHEDULED);
            advance(f, clock, PERIOD * 7 / 10);

            // What a crash leaves when it strikes after the update was recorded and sent, before its hash was noted.
            tower.towers().transition(id, f.bob.address(), TowerPhase.SCHEDULED, planned.watch().submitting());
            TransactionManager.open(tower.chain(), tower.key, tower.store().transactions(), TxConfig.defaults())
                    .submit(f.channels.address(), Amount.ZERO, UpdateCall.encode(planned.upload(), tower.address()),
                            UpdateCall.purpose(id), ChannelsContract.ARTIFACT);
            tower.stop();
            tower.start();
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);
            tower.tick();

            assertThat(tower.sentOnChain()).isEqualTo(towerTxs + 1);
            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);
        }
    }

    @Test
    void anUpdateNotYetRecordedWhenTheTowerCrashedIsSentOnce(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            long towerTxs = tower.sentOnChain();
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            TowerEntry planned = tower.tickUntil(id, f.bob.address(), TowerPhase.SCHEDULED);
            advance(f, clock, PERIOD * 7 / 10);

            // Marked SUBMITTING, then the crash, before the transaction manager recorded anything.
            tower.towers().transition(id, f.bob.address(), TowerPhase.SCHEDULED, planned.watch().submitting());
            tower.stop();
            tower.start();
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);

            assertThat(tower.sentOnChain()).isEqualTo(towerTxs + 1);
            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);
        }
    }

    @Test
    void aProofUploadedAfterTheCloseIsStillAnsweredInTime(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            // Alice closes with what Bob paid her (his proof), leaving out what she paid him.
            Amount bobPaid = Amount.of(500_000_000_000_000_000L);
            f.channels.close(f.alice, id, 1, bobPaid, f.proof(f.bobKey, id, 1, bobPaid));
            tower.tick();

            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            assertThat(tower.towers().get(id, f.bob.address()).orElseThrow().watch().phase())
                    .isEqualTo(TowerPhase.SCHEDULED);
            advance(f, clock, PERIOD * 7 / 10);
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);

            assertThat(f.channels.participant(id, f.alice.address()).transferred()).isEqualTo(PAID);
        }
    }

    @Test
    void aPendingUpdateIsRepricedUntilItIsMined(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        try (TowerHarness tower = TowerHarness.started(f, f.towerKey, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            tower.tickUntil(id, f.bob.address(), TowerPhase.SCHEDULED);
            advance(f, clock, PERIOD * 7 / 10);

            f.anvil.setAutomine(false); // as on a busy chain: the update waits in the pool
            try {
                Bytes32 first =
                        tower.tickUntil(id, f.bob.address(), TowerPhase.SUBMITTED).watch().txHash().orElseThrow();
                clock.advance(Duration.ofSeconds(31));
                tower.tick();

                StoredTx original = tower.store().transactions().findByHash(first).orElseThrow();
                assertThat(original.status()).isEqualTo(TxStatus.REPLACED);
                StoredTx replacement = tower.store().transactions()
                        .findByHash(original.replacedBy().orElseThrow()).orElseThrow();
                assertThat(replacement.tx().maxFeePerGas()).isGreaterThan(original.tx().maxFeePerGas());
                f.anvil.mine();
            } finally {
                f.anvil.setAutomine(true);
            }
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);

            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);
        }
    }

    @Test
    void anUnfundedTowerRecordsNothingAndAnswersOnceFunded(ChannelFixture f, @TempDir Path dir) {
        MutableClock clock = TowerHarness.chainClock(f);
        PrivateKey unfunded = PrivateKey.random(new SecureRandom());
        try (TowerHarness tower = TowerHarness.started(f, unfunded, clock, dir)) {
            long id = f.openEther(ALICE_DEPOSIT, BOB_DEPOSIT);
            tower.post("/v1/proofs", upload(f, f.aliceKey, f.bobKey, id, 3, PAID, REWARD, tower.address()));
            f.channels.close(f.alice, id, 0, Amount.ZERO, new byte[0]);
            tower.tickUntil(id, f.bob.address(), TowerPhase.SCHEDULED);
            advance(f, clock, PERIOD * 7 / 10);

            tower.tick();
            assertThat(tower.towers().get(id, f.bob.address()).orElseThrow().watch().phase())
                    .isEqualTo(TowerPhase.SCHEDULED);
            assertThat(tower.store().transactions().listNonFinal()).isEmpty();

            f.outsider.transfer(tower.address(), ether(1));
            tower.tickUntil(id, f.bob.address(), TowerPhase.DONE);
            assertThat(tower.sentOnChain()).isEqualTo(1);
            assertThat(f.channels.participant(id, f.alice.address()).nonce()).isEqualTo(3);
        }
    }

    private static Amount fee(ChannelFixture f, Bytes32 tx) {
        return TxReceipt.of(f.chain.receipt(tx).orElseThrow()).fee();
    }
}
