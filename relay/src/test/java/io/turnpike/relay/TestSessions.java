package io.turnpike.relay;

import io.turnpike.core.Address;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The node's side of relay sessions as the tests need it: one live token per client. */
final class TestSessions implements ClientSessions {

    static final Address ALICE = Address.of("0x" + "a1".repeat(20));
    static final Address BOB = Address.of("0x" + "b2".repeat(20));

    private final SecureRandom random = new SecureRandom();
    private final Map<Address, String> tokens = new ConcurrentHashMap<>();

    /** Issues a fresh token to {@code client}, replacing its previous one. */
    String issue(Address client) {
        byte[] token = new byte[32];
        random.nextBytes(token);
        String hex = HexFormat.of().formatHex(token);
        tokens.put(client, hex);
        return hex;
    }

    @Override
    public boolean isValid(Address client, String sessionToken) {
        String issued = tokens.get(client);
        return issued != null && MessageDigest.isEqual(issued.getBytes(StandardCharsets.UTF_8),
                sessionToken.getBytes(StandardCharsets.UTF_8));
    }
}
