package io.turnpike.chain.tx;

import static io.turnpike.chain.tx.TxHarness.RECIPIENT;
import static io.turnpike.chain.tx.TxHarness.confirmed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.ChannelFixture;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ContractRevertException;
import io.turnpike.chain.Eip1559Transaction;
import io.turnpike.chain.SignedTransaction;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.store.OutgoingTx;
import io.turnpike.store.TxStatus;
import io.turnpike.store.TxStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transaction manager's normal path, its journal and its restart, on a real anvil and a real SQLite store. */
class TransactionManagerTest {

    @TempDir
    Path dir;
    private TxHarness h;

    @BeforeEach
    void start() {
        h = TxHarness.onFreshAnvil(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void transferIsConfirmedOnlyOnceFourBlocksDeep() {
        TransactionManager manager = h.manager();
        SubmittedTx tx = h.transfer(manager, 1_234_567);

        h.tickUntil(manager, () -> tx.status() == TxStatus.MINED);
        long block = tx.block().orElseThrow().number();
        h.anvil.mine(2);
        manager.tick();
        assertThat(tx.status()).as("three blocks deep").isEqualTo(TxStatus.MINED);
        assertThat(tx.confirmed()).isNotDone();

        h.anvil.mine();
        manager.tick();
        assertThat(tx.status()).isEqualTo(TxStatus.CONFIRMED);
        TxReceipt receipt = tx.confirmed().join();
        assertThat(receipt.hash()).isEqualTo(tx.hash().toHex());
        assertThat(receipt.blockNumber()).isEqualTo(block);
        assertThat(h.stored(tx.hash()).status()).isEqualTo(TxStatus.CONFIRMED);
        assertThat(h.received()).isEqualTo(Amount.of(1_234_567));
    }

    @Test
    void concurrentSendersSharingOneKeyNeverCollideOnNonces() throws Exception {
        TransactionManager manager = h.manager();
        long firstNonce = h.chain.nonce(h.sender);
        int threads = 4;
        int each = 5;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<SubmittedTx>>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            for (int t = 0; t < threads; t++) {
                long wei = 1_000L * (t + 1);
                results.add(pool.submit(() -> {
                    go.await();
                    List<SubmittedTx> sent = new ArrayList<>();
                    for (int i = 0; i < each; i++) {
                        sent.add(h.transfer(manager, wei));
                    }
                    return sent;
                }));
            }
            go.countDown();
        }
        List<SubmittedTx> all = new ArrayList<>();
        for (Future<List<SubmittedTx>> result : results) {
            all.addAll(result.get());
        }

        h.mineUntil(manager, confirmed(all.toArray(SubmittedTx[]::new)));

        assertThat(all.stream().map(SubmittedTx::nonce))
                .containsExactlyInAnyOrderElementsOf(LongStream.range(firstNonce, firstNonce + threads * each).boxed().toList());
        assertThat(h.chain.nonce(h.sender)).isEqualTo(firstNonce + threads * each);
        assertThat(h.received()).isEqualTo(Amount.of(each * (1_000L + 2_000L + 3_000L + 4_000L)));
    }

    @Test
    void contractCallsGoThroughTheManagerAndARefusedCallIsNamedWithNothingRecorded() throws Exception {
        ChannelFixture f = ChannelFixture.deploy(h.anvil);
        TransactionManager alice = TransactionManager.open(f.chain, f.aliceKey, h.store.transactions(), h.config);
        long nonceBefore = f.chain.nonce(f.alice.address());

        assertThatThrownBy(() -> f.channels.settle(alice, 999))
                .isInstanceOfSatisfying(ContractRevertException.class,
                        e -> assertThat(e.error()).isEqualTo("ChannelNotClosed"));
        assertThat(h.store.transactions().listNonFinal()).isEmpty();
        assertThat(alice.tracked()).isEmpty();
        assertThat(f.chain.nonce(f.alice.address())).isEqualTo(nonceBefore);

        // The blocking binding call waits for confirmation while this thread plays the node's scheduler.
        CompletableFuture<ChannelsContract.Opened> opened = CompletableFuture.supplyAsync(() -> f.channels
                .openWithDeposit(alice, f.bob.address(), Address.ZERO, ChannelFixture.PERIOD, ChannelFixture.ether(3)));
        h.mineUntil(alice, () -> opened.isDone());

        long channelId = opened.get().channelId();
        assertThat(f.channels.channel(channelId).status()).isEqualTo(ChannelsContract.Status.OPEN);
        assertThat(f.channels.held(channelId)).isEqualTo(ChannelFixture.ether(3));
    }

    @Test
    void crashBetweenRecordingAndSendingIsRecoveredOnRestartExactlyOnce() {
        TxStore journal = h.store.transactions();
        long firstNonce = h.chain.nonce(h.sender);
        // What a crashed node leaves: one transaction recorded and never sent, one recorded and sent
        // but not yet marked sent.
        SignedTransaction neverSent = recordOnly(journal, 111);
        SignedTransaction sentUnmarked = recordOnly(journal, 222);
        h.chain.sendRawTransaction(sentUnmarked);

        TransactionManager restarted = h.manager();
        assertThat(restarted.tracked()).extracting(SubmittedTx::hash)
                .containsExactly(neverSent.hash(), sentUnmarked.hash());
        h.mineUntil(restarted, confirmed(restarted.tracked().toArray(SubmittedTx[]::new)));

        assertThat(h.stored(neverSent.hash()).status()).isEqualTo(TxStatus.CONFIRMED);
        assertThat(h.stored(sentUnmarked.hash()).status()).isEqualTo(TxStatus.CONFIRMED);
        assertThat(h.chain.nonce(h.sender)).isEqualTo(firstNonce + 2);
        assertThat(h.received()).isEqualTo(Amount.of(333));
        restarted.tick();
        assertThat(h.chain.nonce(h.sender)).isEqualTo(firstNonce + 2);
    }

    @Test
    void nonceReservedButNeverUsedIsFilledOnceATransactionIsStuckBehindIt() {
        TransactionManager manager = h.manager();
        long gap = h.store.transactions().nextNonce(h.sender, h.chain.pendingNonce(h.sender)); // then a crash
        SubmittedTx behind = h.transfer(manager, 5_000);
        assertThat(behind.nonce()).isEqualTo(gap + 1);
        manager.tick();
        assertThat(behind.status()).as("queued behind the gap").isEqualTo(TxStatus.SENT);

        h.clock.advance(h.config.stuckAfter());
        h.mineUntil(manager, confirmed(behind));

        assertThat(behind.hashes()).as("not replaced: its fee was never the problem").hasSize(1);
        assertThat(h.chain.nonce(h.sender)).isEqualTo(gap + 2);
        assertThat(h.received()).isEqualTo(Amount.of(5_000));
    }

    private SignedTransaction recordOnly(TxStore journal, long wei) {
        long nonce = journal.nextNonce(h.sender, h.chain.pendingNonce(h.sender));
        Eip1559Transaction tx = new Eip1559Transaction(h.chain.chainId(), nonce, 21_000, RECIPIENT, Amount.of(wei),
                "0x", h.chain.feeQuote());
        SignedTransaction signed = tx.sign(h.key);
        journal.record(new OutgoingTx(h.sender, nonce, RECIPIENT, tx.value(), new byte[0], signed.raw(), signed.hash(),
                tx.fees().maxFeePerGas(), tx.fees().maxPriorityFeePerGas(), "test.crash"));
        return signed;
    }
}
