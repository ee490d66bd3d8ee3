package io.turnpike.paywall;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.Keccak256;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import io.turnpike.core.crypto.StructHasher;
import io.turnpike.http.JsonObjectReader;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import tools.jackson.databind.node.ObjectNode;

/**
 * An EIP-3009 {@code TransferWithAuthorization} and its signature: the payload of x402's {@code exact} scheme on EVM.
 * The payer signs it in the token's own EIP-712 domain, so it can move that token only, on that chain, to {@code to}.
 *
 * @param validAfter the token takes it only in a block whose timestamp is above this (Unix seconds)
 * @param validBefore … and below this
 */
public record ExactAuthorization(Address from, Address to, Amount value, Amount validAfter, Amount validBefore,
                                 Bytes32 nonce, Signature signature) {

    private static final byte[] TYPE_HASH = StructHasher.typeHash("TransferWithAuthorization(address from,address to,"
            + "uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)");
    /** EIP-712's prefix; core's {@link Eip712Domain#digest} takes Turnpike's own messages only. */
    private static final byte[] PREFIX = {0x19, 0x01};

    public ExactAuthorization {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(validAfter, "validAfter");
        Objects.requireNonNull(validBefore, "validBefore");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(signature, "signature");
    }

    /** Signs an authorization as a payer's wallet does (a Turnpike client paying {@code exact}, and the tests). */
    public static ExactAuthorization sign(PrivateKey payer, Address to, Amount value, long validAfter,
                                          long validBefore, Bytes32 nonce, Eip712Domain token) {
        Amount after = Amount.of(validAfter);
        Amount before = Amount.of(validBefore);
        Signature signature = payer.sign(digest(payer.address(), to, value, after, before, nonce, token));
        return new ExactAuthorization(payer.address(), to, value, after, before, nonce, signature);
    }

    /** The 32 bytes the payer signed, in {@code token}'s domain. */
    public byte[] digest(Eip712Domain token) {
        return digest(from, to, value, validAfter, validBefore, nonce, token);
    }

    private static byte[] digest(Address from, Address to, Amount value, Amount validAfter, Amount validBefore,
                                 Bytes32 nonce, Eip712Domain token) {
        byte[] struct = StructHasher.of(TYPE_HASH).address(from).address(to).uint256(value).uint256(validAfter)
                .uint256(validBefore).bytes32(nonce).hash();
        return Keccak256.hash(PREFIX, token.separator(), struct);
    }

    /** The call that settles it: {@code transferWithAuthorization(from, to, value, validAfter, validBefore, nonce, v, r, s)}. */
    public String transferCall() {
        byte[] sig = signature.bytes();
        return FunctionEncoder.encode(new Function("transferWithAuthorization", List.of(
                new org.web3j.abi.datatypes.Address(from.toLowerHex()),
                new org.web3j.abi.datatypes.Address(to.toLowerHex()),
                new Uint256(value.value()), new Uint256(validAfter.value()), new Uint256(validBefore.value()),
                new org.web3j.abi.datatypes.generated.Bytes32(nonce.bytes()),
                new Uint8(signature.v()),
                new org.web3j.abi.datatypes.generated.Bytes32(Arrays.copyOfRange(sig, 0, 32)),
                new org.web3j.abi.datatypes.generated.Bytes32(Arrays.copyOfRange(sig, 32, 64))), List.of()));
    }

    /** The scheme's payload as x402 sends it: {@code {signature, authorization: {from, to, value, …}}}. */
    public ObjectNode toJson() {
        ObjectNode payload = JsonObjectReader.MAPPER.createObjectNode().put("signature", signature.toHex());
        payload.putObject("authorization")
                .put("from", from.toString())
                .put("to", to.toString())
                .put("value", value.toString())
                .put("validAfter", validAfter.toString())
                .put("validBefore", validBefore.toString())
                .put("nonce", nonce.toHex());
        return payload;
    }

    /**
     * Reads the payload; the integers may be decimal or, with 0x, hex, as x402 allows.
     *
     * @throws PaymentRefused {@code invalid_payload} for a missing or unreadable field, {@code
     *     invalid_exact_evm_payload_signature} for a signature that is not 65 canonical bytes
     */
    static ExactAuthorization read(JsonObjectReader payload) {
        try {
            JsonObjectReader authorization = payload.object("authorization");
            Signature signature;
            try {
                signature = Signature.fromHex(payload.string("signature"));
            } catch (TurnpikeException unusable) {
                throw new PaymentRefused(ErrorCode.PAYMENT_SIGNATURE_INVALID, "invalid_exact_evm_payload_signature",
                        "the authorization's signature cannot be used: " + unusable.getMessage());
            }
            return new ExactAuthorization(authorization.address("from"), authorization.address("to"),
                    uint(authorization, "value"), uint(authorization, "validAfter"),
                    uint(authorization, "validBefore"), nonce(authorization), signature);
        } catch (PaymentRefused refused) {
            throw refused;
        } catch (TurnpikeException bad) { // malformed JSON, an amount out of range, a bad signature form
            throw new PaymentRefused(ErrorCode.PAYMENT_MALFORMED, "invalid_payload",
                    "the exact payload is not an EIP-3009 authorization: " + bad.getMessage());
        }
    }

    private static Amount uint(JsonObjectReader node, String field) {
        String text = node.string(field);
        try {
            BigInteger value = text.startsWith("0x") || text.startsWith("0X")
                    ? new BigInteger(text.substring(2), 16) : new BigInteger(text, 10);
            return Amount.of(value);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JsonObjectReader.BadJson(ErrorCode.MALFORMED_BODY, "field '" + field + "' must be a uint256 in decimal or 0x hex, got '"
                    + text + "'");
        }
    }

    private static Bytes32 nonce(JsonObjectReader node) {
        byte[] magnitude = uint(node, "nonce").value().toByteArray();
        byte[] word = new byte[Bytes32.LENGTH];
        // toByteArray may add a sign byte; the number fits 32 bytes as a uint256.
        int length = Math.min(magnitude.length, Bytes32.LENGTH);
        System.arraycopy(magnitude, magnitude.length - length, word, Bytes32.LENGTH - length, length);
        return Bytes32.of(word);
    }
}
