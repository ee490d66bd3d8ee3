package io.turnpike.core.testing;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.crypto.StructuredDataEncoder;

/**
 * web3j as the independent reference for everything core computes by itself: typed-data digests,
 * signatures, recovery and address derivation. Only tests use it; core never does.
 */
public final class Web3jOracle {

    /** The secp256k1 group order, from BouncyCastle through web3j rather than from core. */
    public static final BigInteger CURVE_ORDER = Sign.CURVE_PARAMS.getN();

    private Web3jOracle() {
    }

    /** One field of a struct as a wallet would describe it in eth_signTypedData_v4 JSON. */
    public record Field(String name, String type, Object value) {

        public static Field uint256(String name, long value) {
            return new Field(name, "uint256", Long.toString(value));
        }

        public static Field uint256(String name, BigInteger value) {
            return new Field(name, "uint256", value.toString());
        }

        public static Field address(String name, Address value) {
            return new Field(name, "address", value.toLowerHex());
        }

        public static Field bytes32(String name, Bytes32 value) {
            return new Field(name, "bytes32", value.toHex());
        }
    }

    /** The JSON typed data (eth_signTypedData_v4 shape) for one struct in {@code domain}. */
    public static String typedDataJson(Eip712Domain domain, String primaryType, List<Field> fields) {
        Map<String, Object> types = new LinkedHashMap<>();
        types.put("EIP712Domain", List.of(
                typeEntry("name", "string"),
                typeEntry("version", "string"),
                typeEntry("chainId", "uint256"),
                typeEntry("verifyingContract", "address")));
        types.put(primaryType, fields.stream().map(f -> typeEntry(f.name(), f.type())).toList());

        Map<String, Object> message = new LinkedHashMap<>();
        fields.forEach(f -> message.put(f.name(), f.value()));

        Map<String, Object> typedData = new LinkedHashMap<>();
        typedData.put("types", types);
        typedData.put("primaryType", primaryType);
        typedData.put("domain", Map.of(
                "name", domain.name(),
                "version", domain.version(),
                "chainId", Long.toString(domain.chainId()),
                "verifyingContract", domain.verifyingContract().toLowerHex()));
        typedData.put("message", message);
        return StructuredDataEncoder.mapper.writeValueAsString(typedData);
    }

    /** web3j's EIP-712 digest of the struct. */
    public static byte[] typedDataDigest(Eip712Domain domain, String primaryType, List<Field> fields) {
        try {
            return new StructuredDataEncoder(typedDataJson(domain, primaryType, fields)).hashStructuredData();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** web3j's domain separator (hashStruct of the domain). */
    public static byte[] domainSeparator(Eip712Domain domain) {
        try {
            return new StructuredDataEncoder(typedDataJson(domain, "Empty", List.of())).hashDomain();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** web3j's signature over an already hashed digest, as 65 bytes r ‖ s ‖ v. */
    public static byte[] sign(PrivateKey key, byte[] digest) {
        Sign.SignatureData signature = Sign.signMessage(digest, ECKeyPair.create(key.bytes()), false);
        return concat(signature.getR(), signature.getS(), signature.getV());
    }

    /** The address web3j recovers from a 65-byte signature over {@code digest}; no canonical-form checks. */
    public static Address recover(byte[] signature65, byte[] digest) {
        Sign.SignatureData signature = new Sign.SignatureData(
                signature65[64],
                Arrays.copyOfRange(signature65, 0, 32),
                Arrays.copyOfRange(signature65, 32, 64));
        try {
            return Address.of(Keys.getAddress(Sign.signedMessageHashToKey(digest, signature)));
        } catch (SignatureException e) {
            throw new IllegalArgumentException("web3j could not recover a key", e);
        }
    }

    /** The address web3j derives for a key (the way wallets built on it show it). */
    public static Address address(PrivateKey key) {
        return Address.of(Credentials.create(ECKeyPair.create(key.bytes())).getAddress());
    }

    /** The 64-byte public key x ‖ y web3j derives for a key. */
    public static byte[] publicKey(PrivateKey key) {
        return Bytes.leftPad(ECKeyPair.create(key.bytes()).getPublicKey(), 64);
    }

    private static Map<String, String> typeEntry(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static byte[] concat(byte[]... parts) {
        int length = Arrays.stream(parts).mapToInt(p -> p.length).sum();
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
