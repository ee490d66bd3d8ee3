package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A mined, successful transaction: what it cost and what it logged. {@code createdContract} is the new
 * contract's address for a deployment, else null.
 */
public record TxReceipt(String hash, long blockNumber, String blockHash, long gasUsed, BigInteger effectiveGasPrice,
                        Address createdContract, List<Log> logs) {

    public TxReceipt {
        logs = List.copyOf(logs);
    }

    /** Reads a receipt the node returned for a successful transaction. */
    public static TxReceipt of(TransactionReceipt r) {
        return new TxReceipt(r.getTransactionHash(), r.getBlockNumber().longValueExact(), r.getBlockHash(),
                r.getGasUsed().longValueExact(), Numbers.decode(r.getEffectiveGasPrice()),
                r.getContractAddress() == null ? null : Address.of(r.getContractAddress()), r.getLogs());
    }

    /** The error for a transaction that was mined but reverted (the receipt carries no reason). */
    public static ContractRevertException reverted(Bytes32 hash, ContractArtifact contract) {
        return new ContractRevertException(contract == null ? "transaction" : contract.name(), null, null,
                "transaction " + hash + " reverted on chain");
    }

    /** The fee the sender paid, in wei. */
    public Amount fee() {
        return Amount.of(effectiveGasPrice.multiply(BigInteger.valueOf(gasUsed)));
    }
}
