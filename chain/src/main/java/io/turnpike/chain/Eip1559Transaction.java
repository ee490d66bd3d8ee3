package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Keccak256;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Objects;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * An EIP-1559 transaction before it is signed. {@code to} is null for a contract creation; {@code data}
 * is 0x-prefixed hex.
 */
public record Eip1559Transaction(long chainId, long nonce, long gasLimit, Address to, Amount value, String data,
                                 Fees fees) {

    public Eip1559Transaction {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(fees, "fees");
        if (nonce < 0 || gasLimit <= 0 || chainId <= 0) {
            throw new IllegalArgumentException("chain id and gas limit are positive and a nonce is not negative");
        }
    }

    /** Reads back the fields of a signed EIP-1559 transaction, to build its replacement. */
    public static Eip1559Transaction decode(byte[] raw) {
        RawTransaction decoded = TransactionDecoder.decode(SignedTransaction.hex(raw));
        if (!(decoded.getTransaction() instanceof Transaction1559 tx)) {
            throw new IllegalArgumentException("not an EIP-1559 transaction: type " + decoded.getType());
        }
        return new Eip1559Transaction(tx.getChainId(), tx.getNonce().longValueExact(),
                tx.getGasLimit().longValueExact(), tx.getTo() == null || tx.getTo().isEmpty() ? null : Address.of(tx.getTo()),
                Amount.of(tx.getValue()), tx.getData().startsWith("0x") ? tx.getData() : "0x" + tx.getData(),
                new Fees(Amount.of(tx.getMaxFeePerGas()), Amount.of(tx.getMaxPriorityFeePerGas())));
    }

    public Eip1559Transaction withFees(Fees newFees) {
        return new Eip1559Transaction(chainId, nonce, gasLimit, to, value, data, newFees);
    }

    public SignedTransaction sign(PrivateKey key) {
        RawTransaction tx = RawTransaction.createTransaction(chainId, BigInteger.valueOf(nonce),
                BigInteger.valueOf(gasLimit), to == null ? null : to.toLowerHex(), value.value(), data,
                fees.maxPriorityFeePerGas().value(), fees.maxFeePerGas().value());
        byte[] raw = TransactionEncoder.signMessage(tx, Credentials.create(HexFormat.of().formatHex(key.bytes())));
        return new SignedTransaction(raw, Bytes32.of(Keccak256.hash(raw)));
    }
}
