package io.turnpike.chain;

import static io.turnpike.chain.Chain.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A key that sends EIP-1559 transactions on one chain. Every call is simulated first (gas estimate), so
 * a transaction the contract would refuse is reported by its error name and never costs gas.
 */
public final class ChainAccount {

    private static final Duration RECEIPT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration RECEIPT_POLL = Duration.ofMillis(20);

    private final Chain chain;
    private final Credentials credentials;
    private final Address address;

    ChainAccount(Chain chain, PrivateKey key) {
        this.chain = chain;
        this.credentials = Credentials.create(HexFormat.of().formatHex(key.bytes()));
        this.address = key.address();
    }

    public Address address() {
        return address;
    }

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
    public synchronized TxReceipt send(Address to, Amount value, String data, ContractArtifact contract) {
        String toHex = to == null ? null : to.toLowerHex();
        EthEstimateGas estimate = chain.web3j().ethEstimateGas(new Transaction(address.toLowerHex(), null, null, null,
                toHex, value.value(), data)).sendAsync().join();
        if (estimate.hasError()) {
            if (contract == null) {
                throw new ChainRpcException("eth_estimateGas", estimate.getError().getMessage());
            }
            throw Chain.revert(contract, estimate.getError(), null);
        }
        BigInteger gasLimit = estimate.getAmountUsed().multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5))
                .add(BigInteger.valueOf(10_000));
        BigInteger nonce = rpc(chain.web3j().ethGetTransactionCount(address.toLowerHex(),
                DefaultBlockParameterName.PENDING)).getTransactionCount();
        BigInteger priorityFee = rpc(chain.web3j().ethMaxPriorityFeePerGas()).getMaxPriorityFeePerGas();
        BigInteger baseFee = Optional.ofNullable(chain.latestBlock().getBaseFeePerGas()).orElse(BigInteger.ZERO);
        // Twice the base fee survives several full blocks of base-fee growth before the cap binds.
        BigInteger maxFee = baseFee.shiftLeft(1).add(priorityFee);
        RawTransaction tx = RawTransaction.createTransaction(chain.chainId(), nonce, gasLimit, toHex, value.value(),
                data, priorityFee, maxFee);
        String signed = "0x" + HexFormat.of().formatHex(TransactionEncoder.signMessage(tx, credentials));
        EthSendTransaction sent = rpc(chain.web3j().ethSendRawTransaction(signed));
        return awaitReceipt(sent.getTransactionHash(), contract);
    }

    private TxReceipt awaitReceipt(String hash, ContractArtifact contract) {
        long deadline = System.nanoTime() + RECEIPT_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<TransactionReceipt> found = rpc(chain.web3j().ethGetTransactionReceipt(hash)).getTransactionReceipt();
            if (found.isPresent()) {
                TransactionReceipt r = found.get();
                if (!r.isStatusOK()) {
                    throw new ContractRevertException(contract == null ? "transaction" : contract.name(), null, null,
                            "transaction " + hash + " reverted on chain");
                }
                return new TxReceipt(hash, r.getBlockNumber().longValueExact(), r.getBlockHash(),
                        r.getGasUsed().longValueExact(), Numbers.decode(r.getEffectiveGasPrice()),
                        r.getContractAddress() == null ? null : Address.of(r.getContractAddress()), r.getLogs());
            }
            LockSupport.parkNanos(RECEIPT_POLL.toNanos());
        }
        throw new ChainRpcException("eth_getTransactionReceipt", "no receipt for " + hash + " after " + RECEIPT_TIMEOUT);
    }
}
