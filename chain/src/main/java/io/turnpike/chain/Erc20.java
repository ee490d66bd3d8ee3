package io.turnpike.chain;

import static io.turnpike.chain.ChannelsContract.addr;
import static io.turnpike.chain.ChannelsContract.uint;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.List;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.Log;

/** An ERC-20 token: balances, approvals, transfers; plus deploying and minting the test tokens. */
public final class Erc20 {

    /** The topic of the event every ERC-20 transfer emits: Transfer(address indexed, address indexed, uint256). */
    private static final String TRANSFER_EVENT = EventEncoder.buildEventSignature("Transfer(address,address,uint256)");

    private final Chain chain;
    private final Address address;
    private final ContractArtifact artifact;

    private Erc20(Chain chain, Address address, ContractArtifact artifact) {
        this.chain = chain;
        this.address = address;
        this.artifact = artifact;
    }

    public static Erc20 at(Chain chain, Address address) {
        return new Erc20(chain, address, ContractArtifact.load("TestToken"));
    }

    /** Deploys the mintable {@code TestToken} (development chains and tests only). */
    public static Erc20 deployTestToken(ChainAccount deployer, String name, String symbol) {
        ContractArtifact artifact = ContractArtifact.load("TestToken");
        String args = FunctionEncoder.encodeConstructor(List.of(new Utf8String(name), new Utf8String(symbol)));
        return new Erc20(deployer.chain(), deployer.deploy(artifact, args).createdContract(), artifact);
    }

    /** Deploys a test token of another artifact with a constructor without arguments. */
    public static Erc20 deploy(ChainAccount deployer, ContractArtifact artifact) {
        return new Erc20(deployer.chain(), deployer.deploy(artifact, "").createdContract(), artifact);
    }

    public Address address() {
        return address;
    }

    public Amount balanceOf(Address owner) {
        Function f = new Function("balanceOf", List.of(addr(owner)), List.of(new TypeReference<Uint256>() { }));
        List<Type> out = FunctionReturnDecoder.decode(chain.call(address, FunctionEncoder.encode(f), artifact),
                f.getOutputParameters());
        return ChannelsContract.amount(out.get(0));
    }

    public TxReceipt mint(TransactionSender from, Address to, Amount amount) {
        return send(from, "mint", addr(to), uint(amount));
    }

    public TxReceipt approve(TransactionSender owner, Address spender, Amount amount) {
        return send(owner, "approve", addr(spender), uint(amount));
    }

    public TxReceipt transfer(TransactionSender from, Address to, Amount amount) {
        return from.send(address, Amount.ZERO, transferCall(to, amount), artifact);
    }

    /** The call data of {@code transfer(to, amount)}, for a caller that submits the transaction itself. */
    public static String transferCall(Address to, Amount amount) {
        return FunctionEncoder.encode(new Function("transfer", List.of(addr(to), uint(amount)), List.of()));
    }

    /**
     * What {@code logs} (a receipt's) say this token moved from {@code from} to {@code to}, in total: only this
     * contract's own Transfer events count, so a look-alike event from another contract moves nothing.
     */
    public Amount transferred(List<Log> logs, Address from, Address to) {
        return logs.stream()
                .filter(log -> Address.of(log.getAddress()).equals(address) && log.getTopics().size() == 3
                        && TRANSFER_EVENT.equalsIgnoreCase(log.getTopics().get(0))
                        && topicAddress(log.getTopics().get(1)).equals(from)
                        && topicAddress(log.getTopics().get(2)).equals(to))
                .map(log -> Amount.of(Numbers.decode(log.getData())))
                .reduce(Amount.ZERO, Amount::plus);
    }

    /** An indexed address: the last 20 of the topic's 32 bytes. */
    private static Address topicAddress(String topic) {
        return Address.of("0x" + topic.substring(topic.length() - 40));
    }

    private TxReceipt send(TransactionSender from, String function, Type<?>... args) {
        String data = FunctionEncoder.encode(new Function(function, List.of(args), List.of()));
        return from.send(address, Amount.ZERO, data, artifact);
    }
}
