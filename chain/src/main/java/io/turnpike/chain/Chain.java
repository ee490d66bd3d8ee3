package io.turnpike.chain;

import io.turnpike.chain.rpc.RpcConfig;
import io.turnpike.chain.rpc.RpcPool;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.PrivateKey;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthEstimateGas;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * One EVM chain reached over JSON-RPC through an {@link RpcPool} (fail-over, back-off, chain id and head
 * checks): reads, simulation, fee quotes and raw sends, the primitives every sender and watcher uses.
 * Transport failures surface as {@link io.turnpike.chain.rpc.RpcException}, refusals as
 * {@link ChainRpcException} or {@link ContractRevertException}.
 */
public final class Chain implements AutoCloseable {

    private final RpcPool rpc;

    private Chain(RpcPool rpc) {
        this.rpc = rpc;
    }

    /** Connects to one endpoint and takes the chain id from it. */
    public static Chain connect(String rpcUrl) {
        return connect(RpcConfig.of(rpcUrl));
    }

    /** Connects to the configured endpoints, checking the chain id so every signature is bound to the right chain. */
    public static Chain connect(RpcConfig config) {
        return new Chain(RpcPool.connect(config));
    }

    public long chainId() {
        return rpc.chainId();
    }

    /** The endpoints, their health and the chain's progress ({@link RpcPool#isStale()}). */
    public RpcPool rpc() {
        return rpc;
    }

    public ChainAccount account(PrivateKey key) {
        return new ChainAccount(this, key);
    }

    public Amount balance(Address owner) {
        return Amount.of(request(w -> w.ethGetBalance(owner.toLowerHex(), DefaultBlockParameterName.LATEST))
                .getBalance());
    }

    public EthBlock.Block latestBlock() {
        return request(w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
    }

    /** Block {@code number} with its transactions, for accounting (what an address spent on gas). */
    public EthBlock.Block blockWithTransactions(long number) {
        return request(w -> w.ethGetBlockByNumber(
                org.web3j.protocol.core.DefaultBlockParameter.valueOf(java.math.BigInteger.valueOf(number)), true))
                .getBlock();
    }

    /** The newest block number, guarded against endpoints that went backwards (see {@link RpcPool#head()}). */
    public long head() {
        return rpc.head();
    }

    /** The canonical hash of block {@code number}; empty if the chain is not that long. */
    public Optional<Bytes32> blockHash(long number) {
        EthBlock.Block block = request(w -> w.ethGetBlockByNumber(
                DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)).getBlock();
        return Optional.ofNullable(block).map(b -> Bytes32.fromHex(b.getHash()));
    }

    /** Transactions of {@code owner} mined so far: the next nonce the chain expects. */
    public long nonce(Address owner) {
        return transactionCount(owner, DefaultBlockParameterName.LATEST);
    }

    /** Like {@link #nonce} but counting the endpoint's pool too, as far as its nonces run without a gap. */
    public long pendingNonce(Address owner) {
        return transactionCount(owner, DefaultBlockParameterName.PENDING);
    }

    /** The code deployed at {@code address} in the latest block; empty for an account without any, such as a key's. */
    public byte[] code(Address address) {
        return Numeric.hexStringToByteArray(
                request(w -> w.ethGetCode(address.toLowerHex(), DefaultBlockParameterName.LATEST)).getCode());
    }

    /** Runs a read-only call against the latest block and returns the ABI-encoded result. */
    public String call(Address to, String data, ContractArtifact contract) {
        EthCall result = rpc.send(w -> w.ethCall(
                Transaction.createEthCallTransaction(null, to.toLowerHex(), data), DefaultBlockParameterName.LATEST));
        if (result.hasError() || result.isReverted()) {
            throw revert(contract, result.getError(), result.getRevertReason());
        }
        return result.getValue();
    }

    /**
     * Simulates a transaction against the latest block and returns the gas limit to send it with: the
     * estimate plus a margin for state that changes before it is mined.
     *
     * @param contract names a refusal's custom error; null when {@code to} is not a contract of ours
     * @throws ContractRevertException if the contract would refuse it; nothing costs gas then
     */
    public long simulate(Address from, Address to, Amount value, String data, ContractArtifact contract) {
        EthEstimateGas estimate = rpc.send(w -> w.ethEstimateGas(new Transaction(from.toLowerHex(), null, null, null,
                to == null ? null : to.toLowerHex(), value.value(), data)));
        if (estimate.hasError()) {
            if (contract == null) {
                throw new ChainRpcException("eth_estimateGas", estimate.getError().getMessage());
            }
            throw revert(contract, estimate.getError(), null);
        }
        return estimate.getAmountUsed().multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5))
                .add(BigInteger.valueOf(10_000)).longValueExact();
    }

    /**
     * Fees for a transaction sent now: the node's suggested tip, and a cap of twice the next block's base
     * fee plus the tip, which survives several full blocks of base-fee growth before it binds.
     */
    public Fees feeQuote() {
        BigInteger tip = request(Web3j::ethMaxPriorityFeePerGas).getMaxPriorityFeePerGas();
        List<BigInteger> baseFees = request(w -> w.ethFeeHistory(1, DefaultBlockParameterName.LATEST, List.of()))
                .getFeeHistory().getBaseFeePerGas();
        // The history ends with the base fee of the block still to come.
        BigInteger nextBaseFee = baseFees.isEmpty() ? BigInteger.ZERO : baseFees.getLast();
        return new Fees(Amount.of(nextBaseFee.shiftLeft(1).add(tip)), Amount.of(tip));
    }

    /**
     * Hands signed bytes to the chain and returns their hash.
     *
     * @throws ChainRpcException if the node refused them (its reason says why: underpriced, nonce too low…)
     * @throws io.turnpike.chain.rpc.RpcException if no endpoint answered: the bytes may or may not have arrived
     */
    public Bytes32 sendRawTransaction(SignedTransaction tx) {
        request(w -> w.ethSendRawTransaction(tx.rawHex()));
        return tx.hash(); // the hash of the bytes themselves: nothing to learn from the node's echo
    }

    /** The receipt of a mined transaction, as the endpoint knows it. */
    public Optional<TransactionReceipt> receipt(Bytes32 hash) {
        return request(w -> w.ethGetTransactionReceipt(hash.toHex())).getTransactionReceipt();
    }

    /** The transaction itself (sender, recipient, value, input), if the endpoint knows it. */
    public Optional<org.web3j.protocol.core.methods.response.Transaction> transaction(Bytes32 hash) {
        return request(w -> w.ethGetTransactionByHash(hash.toHex())).getTransaction();
    }

    /** Whether the endpoint knows the transaction at all: in its pool or in a block. */
    public boolean isKnown(Bytes32 hash) {
        return request(w -> w.ethGetTransactionByHash(hash.toHex())).getTransaction().isPresent();
    }

    /** The logs {@code contract} emitted in blocks {@code from..to}, inclusive, in chain order. */
    public List<Log> logs(Address contract, long from, long to) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(from)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(to)), contract.toLowerHex());
        return request(w -> w.ethGetLogs(filter)).getLogs().stream()
                .map(result -> ((EthLog.LogObject) result).get())
                .toList();
    }

    static ContractRevertException revert(ContractArtifact contract, Response.Error error, String fallback) {
        // web3j 6 keeps the error's `data` as raw JSON, so a hex string arrives still quoted.
        String data = error == null || error.getData() == null ? null : error.getData().replace("\"", "");
        String message = error == null ? fallback : error.getMessage();
        return new ContractRevertException(contract.name(), contract.errorSignature(data), data, message);
    }

    private long transactionCount(Address owner, DefaultBlockParameterName block) {
        return request(w -> w.ethGetTransactionCount(owner.toLowerHex(), block)).getTransactionCount().longValueExact();
    }

    /** Every JSON-RPC request goes through here: the pool's fail-over, then an error answer becomes an exception. */
    private <T extends Response<?>> T request(Function<Web3j, Request<?, T>> request) {
        String[] method = new String[1]; // the request is built per endpoint tried; its method names the error
        T response = rpc.send(web3j -> {
            Request<?, T> built = request.apply(web3j);
            method[0] = built.getMethod();
            return built;
        });
        if (response.hasError()) {
            throw new ChainRpcException(method[0], response.getError().getMessage());
        }
        return response;
    }

    @Override
    public void close() {
        rpc.close();
    }
}
