package io.turnpike.chain.tx;

import io.turnpike.core.ErrorCode;
import static io.turnpike.chain.tx.TxHarness.confirmed;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.Eip1559Transaction;
import io.turnpike.chain.Fees;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.store.TxStatus;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transactions the pool loses or sits on, with anvil mining only when told, as a busy chain would. */
class StuckAndDroppedTransactionTest {

    @TempDir
    Path dir;
    private TxHarness h;
    private TransactionManager manager;

    @BeforeEach
    void start() {
        h = TxHarness.onFreshAnvil(dir);
        h.anvil.setAutomine(false);
        manager = h.manager();
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void droppedTransactionIsSentAgainAsTheSameBytes() {
        SubmittedTx tx = h.transfer(manager, 7_000);
        h.anvil.dropTransaction(tx.hash());
        assertThat(h.chain.isKnown(tx.hash())).isFalse();

        manager.tick();

        assertThat(h.chain.isKnown(tx.hash())).as("back in the pool").isTrue();
        h.mineUntil(manager, confirmed(tx));
        assertThat(tx.hashes()).as("never re-signed").hasSize(1);
        assertThat(h.received()).isEqualTo(Amount.of(7_000));
    }

    @Test
    void transactionEvictedForItsFeesIsReplacedWithFeesTheChainTakes() {
        SubmittedTx tx = h.transfer(manager, 8_000);
        Bytes32 first = tx.hash();
        h.anvil.setNextBlockBaseFee(Amount.of(100_000_000_000L));
        h.anvil.mine(); // the pool evicts what pays less than the new base fee
        assertThat(h.chain.isKnown(first)).isFalse();

        h.mineUntil(manager, confirmed(tx));

        assertThat(tx.hashes()).hasSize(2);
        assertThat(tx.hash()).isNotEqualTo(first);
        assertThat(h.stored(first).status()).isEqualTo(TxStatus.REPLACED);
        assertThat(h.stored(first).replacedBy()).contains(tx.hash());
        assertThat(tx.confirmed().join().effectiveGasPrice()).isGreaterThanOrEqualTo(BigInteger.valueOf(87_500_000_000L));
        assertThat(h.received()).isEqualTo(Amount.of(8_000));
    }

    @Test
    void stuckTransactionIsReplacedWithBothFeesRaisedByAtLeastTwelveAndAHalfPercent() {
        SubmittedTx tx = h.transfer(manager, 9_000);
        Bytes32 first = tx.hash();
        manager.tick();
        assertThat(tx.hashes()).as("not stuck yet").containsExactly(first);

        h.clock.advance(h.config.stuckAfter());
        manager.tick();

        assertThat(tx.hashes()).hasSize(2);
        Fees before = Eip1559Transaction.decode(h.stored(first).tx().raw()).fees();
        Fees after = Eip1559Transaction.decode(h.stored(tx.hash()).tx().raw()).fees();
        assertRaisedByAnEighth(before.maxFeePerGas(), after.maxFeePerGas());
        assertRaisedByAnEighth(before.maxPriorityFeePerGas(), after.maxPriorityFeePerGas());
        assertThat(Eip1559Transaction.decode(h.stored(tx.hash()).tx().raw()).nonce()).isEqualTo(tx.nonce());

        h.mineUntil(manager, confirmed(tx));
        assertThat(tx.confirmed().join().hash()).isEqualTo(tx.hashes().get(1).toHex());
        assertThat(h.stored(first).status()).isEqualTo(TxStatus.REPLACED);
        assertThat(h.received()).as("one transfer, not two").isEqualTo(Amount.of(9_000));
    }

    @Test
    void aTransactionWithADeadlineIsReplacedSoonerAndPaysMoreTheCloserTheDeadline() {
        SubmittedTx tx = h.transfer(manager, 11_000);
        Bytes32 first = tx.hash();
        Duration patience = h.config.stuckAfter();
        manager.mustLandBy(first, h.clock.instant().plus(patience.dividedBy(2)));
        manager.tick();
        assertThat(tx.hashes()).as("not stuck yet").containsExactly(first);

        // Pending for half of what is left: stuck long before the usual patience is spent.
        h.clock.advance(patience.dividedBy(6));
        manager.tick();

        assertThat(tx.hashes()).hasSize(2);
        Fees before = Eip1559Transaction.decode(h.stored(first).tx().raw()).fees();
        Fees after = Eip1559Transaction.decode(h.stored(tx.hash()).tx().raw()).fees();
        // A third of the patience was left: three times the fees, not an eighth more.
        assertThat(after.maxFeePerGas().value()).isGreaterThanOrEqualTo(before.maxFeePerGas().value().multiply(
                BigInteger.valueOf(3)));
        assertThat(after.maxPriorityFeePerGas().value()).isGreaterThanOrEqualTo(
                before.maxPriorityFeePerGas().value().multiply(BigInteger.valueOf(3)));

        h.mineUntil(manager, confirmed(tx));
        assertThat(h.received()).as("one transfer, not two").isEqualTo(Amount.of(11_000));
    }

    @Test
    void nonceTakenByAnotherWalletWithTheSameKeyFailsTheTransactionWithAStableCode() {
        SubmittedTx tx = h.transfer(manager, 10_000);
        // Another wallet holding the key outbids it for the same nonce.
        Eip1559Transaction ours = Eip1559Transaction.decode(h.stored(tx.hash()).tx().raw());
        h.chain.sendRawTransaction(new Eip1559Transaction(ours.chainId(), ours.nonce(), 21_000, h.sender, Amount.ZERO,
                "0x", ours.fees().bumped().bumped()).sign(h.key));

        h.mineUntil(manager, () -> tx.confirmed().isDone());

        assertThat(tx.status()).isEqualTo(TxStatus.DROPPED);
        assertThat(tx.confirmed()).failsWithin(Duration.ZERO).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(TransactionException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.NONCE_TAKEN));
        assertThat(h.received()).isEqualTo(Amount.ZERO);
    }

    private static void assertRaisedByAnEighth(Amount before, Amount after) {
        assertThat(after.value().shiftLeft(3)).isGreaterThanOrEqualTo(before.value().multiply(BigInteger.valueOf(9)));
        assertThat(after).isGreaterThan(before);
    }
}
