package io.turnpike.core.crypto;

import io.turnpike.core.Address;
import io.turnpike.core.channel.TypedMessage;
import java.util.Objects;

/**
 * The EIP-712 domain that binds every signature to one chain and one deployed contract. A final class
 * rather than a record so that the domain separator is hashed once, not on every message.
 */
public final class Eip712Domain {

    public static final String TURNPIKE_NAME = "Turnpike";
    public static final String TURNPIKE_VERSION = "1";

    private static final byte[] TYPE_HASH = StructHasher.typeHash(
            "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    private static final byte[] PREFIX = {0x19, 0x01};

    private final String name;
    private final String version;
    private final long chainId;
    private final Address verifyingContract;
    private final byte[] separator;

    public Eip712Domain(String name, String version, long chainId, Address verifyingContract) {
        this.name = Objects.requireNonNull(name, "name");
        this.version = Objects.requireNonNull(version, "version");
        if (chainId < 1) {
            throw new IllegalArgumentException("a chain id is positive, got " + chainId);
        }
        this.chainId = chainId;
        this.verifyingContract = Objects.requireNonNull(verifyingContract, "verifyingContract");
        this.separator = StructHasher.of(TYPE_HASH)
                .string(name)
                .string(version)
                .uint256(chainId)
                .address(verifyingContract)
                .hash();
    }

    /** The domain of the TurnpikeChannels contract deployed at {@code contract} on {@code chainId}. */
    public static Eip712Domain turnpike(long chainId, Address contract) {
        return new Eip712Domain(TURNPIKE_NAME, TURNPIKE_VERSION, chainId, contract);
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public long chainId() {
        return chainId;
    }

    public Address verifyingContract() {
        return verifyingContract;
    }

    /** hashStruct(domain), a copy. */
    public byte[] separator() {
        return separator.clone();
    }

    /** The 32 bytes that are signed: keccak(0x19 0x01 ‖ separator ‖ hashStruct(message)). */
    public byte[] digest(TypedMessage message) {
        return Keccak256.hash(PREFIX, separator, message.structHash());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Eip712Domain other
                && chainId == other.chainId
                && name.equals(other.name)
                && version.equals(other.version)
                && verifyingContract.equals(other.verifyingContract);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, version, chainId, verifyingContract);
    }

    @Override
    public String toString() {
        return "Eip712Domain[name=" + name + ", version=" + version + ", chainId=" + chainId
                + ", verifyingContract=" + verifyingContract + "]";
    }
}
