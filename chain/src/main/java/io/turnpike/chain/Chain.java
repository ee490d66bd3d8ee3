package io.turnpike.chain;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/** One EVM chain reached over JSON-RPC: reads, and accounts that send transactions on it. */
public final class Chain implements AutoCloseable {

    private final Web3j web3j;
    private final long chainId;

    private Chain(Web3j web3j, long chainId) {
        this.web3j = web3j;
        this.chainId = chainId;
    }

    /** Connects and reads the chain id, so every later signature is bound to the right chain. */
    public static Chain connect(String rpcUrl) {
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            long chainId = web3j.ethChainId().send().getChainId().longValueExact();
            return new Chain(web3j, chainId);
        } catch (IOException e) {
            web3j.shutdown();
            throw new UncheckedIOException("cannot reach the chain RPC at " + rpcUrl + ": " + e.getMessage(), e);
        }
    }

    public long chainId() {
        return chainId;
    }

    Web3j web3j() {
        return web3j;
    }

    public ChainAccount account(PrivateKey key) {
        return new ChainAccount(this, key);
    }

    public Amount balance(Address owner) {
        BigInteger wei = rpc(web3j.ethGetBalance(owner.toLowerHex(), DefaultBlockParameterName.LATEST)).getBalance();
        return Amount.of(wei);
    }

    public EthBlock.Block latestBlock() {
        return rpc(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
    }

    /** Runs a read-only call against the latest block and returns the ABI-encoded result. */
    public String call(Address to, String data, ContractArtifact contract) {
        EthCall result = rpc(web3j.ethCall(
                Transaction.createEthCallTransaction(null, to.toLowerHex(), data), DefaultBlockParameterName.LATEST));
        if (result.hasError() || result.isReverted()) {
            throw revert(contract, result.getError(), result.getRevertReason());
        }
        return result.getValue();
    }

    static ContractRevertException revert(ContractArtifact contract, Response.Error error, String fallback) {
        // web3j 6 keeps the error's `data` as raw JSON, so a hex string arrives still quoted.
        String data = error == null || error.getData() == null ? null : error.getData().replace("\"", "");
        String message = error == null ? fallback : error.getMessage();
        return new ContractRevertException(contract.name(), contract.errorSignature(data), data, message);
    }

    /** Sends one JSON-RPC request; transport failures surface as UncheckedIOException. */
    static <T extends Response<?>> T rpc(org.web3j.protocol.core.Request<?, T> request) {
        try {
            T response = request.send();
            if (response.hasError() && !(response instanceof EthCall)) {
                throw new ChainRpcException(request.getMethod(), response.getError().getMessage());
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("JSON-RPC " + request.getMethod() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        web3j.shutdown();
    }
}
