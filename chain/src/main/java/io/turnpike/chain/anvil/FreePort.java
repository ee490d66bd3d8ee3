package io.turnpike.chain.anvil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback port free now, for a server started later (anvil, a node, a demo's process — perhaps again after a
 * kill). Drawn below the kernel's range for outgoing connections (Linux: 32768 on): a port the system hands out
 * itself, as {@code new ServerSocket(0)} does, can be taken by any outgoing connection before the server binds it,
 * which made a node refuse to start with "port in use". A port is handed out once per process, so ports taken
 * together for one set of nodes never coincide.
 */
public final class FreePort {

    private static final int LOWEST = 20_000;
    private static final int EPHEMERAL_FROM = 32_768;
    private static final int ATTEMPTS = 100;
    private static final SecureRandom DRAW = new SecureRandom();
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePort() {
    }

    /** @throws IllegalStateException if {@value #ATTEMPTS} draws all found the port taken */
    public static int take() {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = LOWEST + DRAW.nextInt(EPHEMERAL_FROM - LOWEST);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return socket.getLocalPort();
            } catch (IOException taken) {
                // another program has it: draw again
            }
        }
        throw new IllegalStateException("no free port in " + LOWEST + ".." + (EPHEMERAL_FROM - 1) + " after " + ATTEMPTS
                + " draws");
    }
}
