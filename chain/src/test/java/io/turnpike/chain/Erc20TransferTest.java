package io.turnpike.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.core.methods.response.Transaction;

/** Reading what a transfer paid, from its receipt and transaction, as a node does before it credits a direct payment. */
@ExtendWith(AnvilExtension.class)
class Erc20TransferTest {

    @Test
    void aReceiptShowsExactlyWhatTheTokenMovedBetweenTwoAddresses(ChannelFixture f) {
        Amount amount = Amount.of(1_234_567_890_123L);
        TxReceipt receipt = f.token.transfer(f.alice, f.bob.address(), amount);

        assertThat(f.token.transferred(receipt.logs(), f.alice.address(), f.bob.address())).isEqualTo(amount);
        assertThat(f.token.transferred(receipt.logs(), f.alice.address(), f.outsider.address())).isEqualTo(Amount.ZERO);
        assertThat(f.token.transferred(receipt.logs(), f.bob.address(), f.alice.address())).isEqualTo(Amount.ZERO);
    }

    @Test
    void anotherTokensTransferEventMovesNothingOfThisToken(ChannelFixture f) {
        Erc20 other = Erc20.deployTestToken(f.deployer, "Look-alike", "TST");
        other.mint(f.deployer, f.alice.address(), Amount.of(1000));
        TxReceipt receipt = other.transfer(f.alice, f.bob.address(), Amount.of(1000));

        assertThat(f.token.transferred(receipt.logs(), f.alice.address(), f.bob.address())).isEqualTo(Amount.ZERO);
        assertThat(other.transferred(receipt.logs(), f.alice.address(), f.bob.address())).isEqualTo(Amount.of(1000));
    }

    @Test
    void aTransactionIsReadBackWithItsSenderRecipientAndValue(ChannelFixture f) {
        TxReceipt receipt = f.alice.transfer(f.bob.address(), Amount.of(777));

        Transaction tx = f.chain.transaction(Bytes32.fromHex(receipt.hash())).orElseThrow();

        assertThat(tx.getFrom()).isEqualToIgnoringCase(f.alice.address().toLowerHex());
        assertThat(tx.getTo()).isEqualToIgnoringCase(f.bob.address().toLowerHex());
        assertThat(tx.getValue()).isEqualTo(BigInteger.valueOf(777));
    }
}
