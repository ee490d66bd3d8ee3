package io.turnpike.protocol;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;

/** The nodes, network and settings the protocol tests share. */
final class PeerFixtures {

    static final PrivateKey ALICE =
            PrivateKey.fromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
    static final PrivateKey BOB =
            PrivateKey.fromHex("0x8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f");
    static final PrivateKey CAROL =
            PrivateKey.fromHex("0x6c875bfb4f247fcbcd37fd56f564fca0cfaad7e2bc4ad0b3c6f0e0e5c3b0a7a1");
    static final PrivateKey MALLORY =
            PrivateKey.fromHex("0x0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    static final Address CONTRACT = Address.of("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    static final Eip712Domain DOMAIN = Eip712Domain.turnpike(31337, CONTRACT);

    private PeerFixtures() {
    }

    /** A random whose output is fixed by {@code seed}, so a test knows the challenge it will see. */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings for a test node: its key on {@code domain}, pinging every second. */
    static PeerConfig config(PrivateKey key, Eip712Domain domain) {
        return PeerConfig.of(key, domain).withPingInterval(Duration.ofSeconds(1));
    }
}
