package io.turnpike.chain.market;

import static io.turnpike.chain.ChannelsContract.addr;

import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.TxReceipt;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.util.List;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.utils.Numeric;

/**
 * A contract in the market (HostileReceiver), as a provider or a subscriber, driven by the fixture's deployer,
 * its owner. On receiving ether it accepts, refuses, or tries once to call the market again with a prepared call.
 */
record HostileAccount(MarketFixture f, Address address) {

    private static final ContractArtifact HOSTILE_RECEIVER = ContractArtifact.load("HostileReceiver");

    /** The receiver's reaction to ether, in the contract's order. */
    enum Mode { ACCEPT, REVERT, REENTER }

    static HostileAccount deploy(MarketFixture f) {
        return new HostileAccount(f, f.deployer.deploy(HOSTILE_RECEIVER, "").createdContract());
    }

    /** In {@link Mode#REENTER} the receiver sends {@code call} to the market when ether arrives. */
    void setMode(Mode mode, String call) {
        f.deployer.send(address, Amount.ZERO, FunctionEncoder.encode(new Function("setMode",
                List.of(new Uint8(mode.ordinal()), addr(f.market.address()), bytes(call)), List.of())),
                HOSTILE_RECEIVER);
    }

    /** Sends {@code call} to the market as this contract; a refusal carries the market's error name. */
    TxReceipt call(Amount value, String call) {
        return exec(f.market.address(), value, call, MarketContract.ARTIFACT);
    }

    /** Sends {@code call} to {@code target} (the market, a token) as this contract. */
    TxReceipt exec(Address target, Amount value, String call, ContractArtifact errorsOf) {
        return f.deployer.send(address, value, FunctionEncoder.encode(new Function("exec",
                List.of(addr(target), bytes(call)), List.of())), errorsOf);
    }

    long counter(String name) {
        Function view = new Function(name, List.of(), List.of(new TypeReference<Uint256>() { }));
        String result = f.chain.call(address, FunctionEncoder.encode(view), HOSTILE_RECEIVER);
        return ((BigInteger) FunctionReturnDecoder.decode(result, view.getOutputParameters()).get(0).getValue())
                .longValueExact();
    }

    private static DynamicBytes bytes(String hex) {
        return new DynamicBytes(Numeric.hexStringToByteArray(hex));
    }
}
