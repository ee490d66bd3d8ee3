package io.turnpike.bench;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.crypto.Signature;
import java.security.SignatureException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;

/**
 * What a payment costs in CPU: the payer signs one balance proof, the receiver hashes it and recovers
 * the signer. Native libsecp256k1 (core) against web3j's pure-Java BouncyCastle path, on the same key
 * and digest. Both recover paths end at an address, since that is what a receiver compares.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CryptoBenchmark {

    // A fixed, well-known test key: the figures must not depend on which key a run happened to draw.
    private static final String KEY_HEX = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";

    private PrivateKey key;
    private ECKeyPair web3jKey;
    private Eip712Domain domain;
    private BalanceProof proof;
    private byte[] digest;
    private Signature signature;
    private Sign.SignatureData web3jSignature;

    @Setup
    public void setUp() {
        key = PrivateKey.fromHex(KEY_HEX);
        web3jKey = ECKeyPair.create(HexFormat.of().parseHex(KEY_HEX));
        domain = Eip712Domain.turnpike(1, Address.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"));
        proof = new BalanceProof(42, 1_000, Amount.parse("0.0042", 18));
        digest = domain.digest(proof);
        signature = key.sign(digest);
        web3jSignature = Sign.signMessage(digest, web3jKey, false);
        // Both sides must do the same work on the same input, or the ratio means nothing.
        if (!signature.recover(digest).equals(key.address())
                || !Address.of(Keys.getAddress(web3jKey)).equals(key.address())) {
            throw new IllegalStateException("native and web3j do not agree on the benchmark key");
        }
    }

    @Benchmark
    public Signature nativeSign() {
        return key.sign(digest);
    }

    @Benchmark
    public Address nativeRecover() {
        return signature.recover(digest);
    }

    @Benchmark
    public Address nativeSignAndRecover() {
        return key.sign(digest).recover(digest);
    }

    @Benchmark
    public Sign.SignatureData web3jSign() {
        return Sign.signMessage(digest, web3jKey, false);
    }

    @Benchmark
    public String web3jRecover() throws SignatureException {
        return Keys.getAddress(Sign.signedMessageHashToKey(digest, web3jSignature));
    }

    @Benchmark
    public String web3jSignAndRecover() throws SignatureException {
        return Keys.getAddress(Sign.signedMessageHashToKey(digest, Sign.signMessage(digest, web3jKey, false)));
    }

    @Benchmark
    public byte[] eip712DigestOfBalanceProof() {
        return domain.digest(proof);
    }
}
