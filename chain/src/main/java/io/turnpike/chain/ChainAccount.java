package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A key that sends EIP-1559 transactions on one chain and waits for each receipt: the simple sender for
 * development chains and tests. It keeps no journal, so a crash or a lost answer can lose track of a
 * transaction; nodes send through {@code io.turnpike.chain.tx.TransactionManager}. Every call is simulated
 * first, so a transaction the contract would refuse is reported by its error name and never costs gas.
 */
public final class ChainAccount implements TransactionSender {

    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RECEIPT_POLL = Duration.ofMillis(20);

    private final Chain chain;
    private final PrivateKey key;
    private final Address address;

    ChainAccount(Chain chain, PrivateKey key) {
        this.chain = chain;
        this.key = key;
        this.address = key.address();
    }

    @Override
    public Address address() {
        return address;
    }

    @Override
    public Chain chain() {
        return chain;
    }

    public Amount balance() {
        return chain.balance(address);
    }

    /** Sends plain ether. */
    public TxReceipt transfer(Address to, Amount value) {
        return send(to, value, "0x", null);
    }

    /** Deploys {@code artifact} with the ABI-encoded constructor arguments appended to its bytecode. */
    public TxReceipt deploy(ContractArtifact artifact, String encodedConstructorArgs) {
        return send(null, Amount.ZERO, artifact.bytecode() + encodedConstructorArgs, artifact);
    }

    /**
     * Simulates, signs, sends and waits for the receipt. Sends from one account are serialised, so two
     * callers never pick the same nonce.
     */
    @Override
    public synchronized TxReceipt send(Address to, Amount value, String data, ContractArtifact contract) {
        long gasLimit = chain.simulate(address, to, value, data, contract);
        Eip1559Transaction tx = new Eip1559Transaction(chain.chainId(), chain.pendingNonce(address), gasLimit, to,
                value, data, chain.feeQuote());
        return awaitReceipt(chain.sendRawTransaction(tx.sign(key)), contract);
    }

    private TxReceipt awaitReceipt(Bytes32 hash, ContractArtifact contract) {
        long deadline = System.nanoTime() + RECEIPT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TransactionReceipt> found = chain.receipt(hash);
            if (found.isPresent()) {
                if (!found.get().isStatusOK()) {
                    throw TxReceipt.reverted(hash, contract);
                }
                return TxReceipt.of(found.get());
            }
            LockSupport.parkNanos(RECEIPT_POLL.toNanos());
        }
        throw new ChainRpcException("eth_getTransactionReceipt", "no receipt for " + hash + " after " + RECEIPT_TIMEOUT);
    }
}
