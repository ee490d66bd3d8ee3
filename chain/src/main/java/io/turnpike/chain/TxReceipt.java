package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.List;
import org.web3j.protocol.core.methods.response.Log;

/**
 * A mined, successful transaction: what it cost and what it logged. {@code createdContract} is the new
 * contract's address for a deployment, else null.
 */
public record TxReceipt(String hash, long blockNumber, String blockHash, long gasUsed, BigInteger effectiveGasPrice,
                        Address createdContract, List<Log> logs) {

    public TxReceipt {
        logs = List.copyOf(logs);
    }

    /** The fee the sender paid, in wei. */
    public Amount fee() {
        return Amount.of(effectiveGasPrice.multiply(BigInteger.valueOf(gasUsed)));
    }
}
