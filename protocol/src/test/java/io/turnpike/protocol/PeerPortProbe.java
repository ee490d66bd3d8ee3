package io.turnpike.protocol;

import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The security probe's attacks on a peer port (issue 9), made as an attacker with nothing but sockets and a fresh
 * key would make them. Each method makes one attack and reports what the port let it do; the caller asserts. The
 * same attacks meet a bare {@link PeerServer} ({@code PeerPortLimitsTest}) and a running node's peer port (the node's
 * {@code HostilePeersTest}, through this module's test-jar).
 *
 * <p>Where a limit holds, each attack stops where the port cuts it off. Where it does not, the attack goes on up to
 * the {@code atMost} its caller gives, as the probe's did, so what the port then holds shows in the heap.
 */
public final class PeerPortProbe {

    /** The size of each fragment of a message that never ends. */
    public static final int FRAGMENT = 1024;
    /** The close code of a message past the size limit. */
    public static final int CLOSE_MESSAGE_TOO_LARGE = 1009;

    /** A receive buffer far smaller than the backlog cap, so a peer that does not read is found by the cap. */
    private static final int NOT_READING_BUFFER = 4096;
    /** Session requests written at once by a peer that does not read. */
    private static final int FLOOD_BATCH = 256;
    private static final int HEADER_CHUNK = 64 * 1024;
    private static final Duration PATIENCE = Duration.ofSeconds(RecordingListener.WAIT_SECONDS);

    private static final List<Garbage> GARBAGE = List.of(
            peer -> peer.sendText("GET /index.html"),
            peer -> peer.sendText("{\"type\":\"pay\",\"v\":1}"),
            peer -> peer.sendFrame(TcpPeer.BINARY, true, true, new byte[] {1, 2, 3}),
            peer -> peer.sendFrame(0x3, true, true, new byte[] {1}), // a reserved opcode
            peer -> peer.sendFrame(TcpPeer.TEXT, true, false, "{}".getBytes(StandardCharsets.UTF_8)), // unmasked
            peer -> peer.sendFrame(TcpPeer.TEXT, true, true, new byte[] {(byte) 0xc3, 0x28})); // not UTF-8

    private final int port;
    private final Eip712Domain domain;
    private final SecureRandom random = new SecureRandom();

    /** @param domain the chain and contract of the node behind the port, for the attacks that authenticate */
    public PeerPortProbe(int port, Eip712Domain domain) {
        this.port = port;
        this.domain = domain;
    }

    /** A WebSocket connection that has read the port's hello and gone no further. */
    public RawPeer unauthenticated() throws Exception {
        RawPeer peer = RawPeer.connect(port);
        PeerMessage hello = peer.next();
        if (!(hello instanceof PeerMessage.Hello)) {
            throw new AssertionError("the port began with " + hello + ", not its hello");
        }
        return peer;
    }

    /** A WebSocket connection that completed the handshake as {@code key}: any key will do. */
    public RawPeer authenticatedAs(PrivateKey key) throws Exception {
        RawPeer peer = RawPeer.connect(port);
        peer.authenticateAs(key, domain, Bytes32.random(random));
        return peer;
    }

    /**
     * Sends a text message that never ends, {@link #FRAGMENT} bytes at a time, FIN never set: up to {@code limit}
     * bytes, one fragment more, and then, unless the port closes the connection within a few seconds, on for as long
     * as it stays open, up to {@code atMost} bytes in all. Returns the bytes sent: {@code limit + FRAGMENT} where the
     * port holds its limit.
     */
    public static long sendEndlessMessage(RawPeer attacker, int limit, long atMost) throws Exception {
        if (limit % FRAGMENT != 0) {
            throw new IllegalArgumentException("a limit of whole fragments, not " + limit);
        }
        String fragment = "a".repeat(FRAGMENT);
        long sent = 0;
        for (; sent <= limit; sent += FRAGMENT) {
            attacker.sendFragment(fragment, false);
        }
        if (attacker.closedWithin(PATIENCE)) {
            return sent;
        }
        for (; sent < atMost && attacker.trySendFragment(fragment, false); sent += FRAGMENT) {
            // On, as long as the port takes it.
        }
        return sent;
    }

    /**
     * A connection over bare TCP, authenticated as {@code key}, with a receive buffer of a few KiB: once it stops
     * reading, the port's answers stop after that much and the port's own socket buffer, and pile up in the port.
     */
    public TcpPeer authenticatedWithASmallReceiveBuffer(PrivateKey key) throws IOException {
        TcpPeer peer = TcpPeer.connectWithReceiveBuffer(port, NOT_READING_BUFFER);
        try {
            String upgraded = peer.upgrade();
            if (!upgraded.startsWith("HTTP/1.1 101")) {
                throw new AssertionError("the port refused the upgrade: " + upgraded);
            }
            peer.authenticateAs(key, domain, Bytes32.random(random));
            return peer;
        } catch (IOException | RuntimeException | Error e) {
            peer.close();
            throw e;
        }
    }

    /**
     * Sends {@code request} {@code atMost} times, as fast as the port takes it, and never reads the answers. Returns
     * how many requests went out before the port cut the connection, or all of them: the sockets' buffers hold many
     * before the port has read them, so whether the port cut the connection is for the caller to see on the port's
     * side, while the attacker's connection is still open.
     */
    public static long sendWithoutReading(TcpPeer attacker, PeerMessage request, long atMost) {
        byte[] frame = TcpPeer.frame(TcpPeer.TEXT, true, true,
                PeerCodec.encode(request).getBytes(StandardCharsets.UTF_8));
        byte[] batch = new byte[frame.length * FLOOD_BATCH];
        for (int i = 0; i < FLOOD_BATCH; i++) {
            System.arraycopy(frame, 0, batch, i * frame.length, frame.length);
        }
        long sent = 0;
        try {
            for (; sent < atMost; sent += FLOOD_BATCH) {
                attacker.write(batch);
            }
        } catch (IOException cutOff) {
            // The port has closed the connection.
        }
        return sent;
    }

    /**
     * Starts an upgrade request with a header that never ends: {@code limit} bytes of it, and then, unless the port
     * answers or closes the connection within a few seconds, on until it does, up to {@code atMost} bytes. Returns the
     * attacker, whose answer is still to be read.
     */
    public TcpPeer sendEndlessUpgradeHeader(int limit, long atMost) throws IOException {
        TcpPeer attacker = TcpPeer.connect(port);
        try {
            attacker.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Never-Ends: ");
            attacker.write("a".repeat(limit));
            if (attacker.answeredWithin(Math.toIntExact(PATIENCE.toMillis()))) {
                return attacker;
            }
            byte[] chunk = "a".repeat(HEADER_CHUNK).getBytes(StandardCharsets.US_ASCII);
            for (long sent = limit; sent < atMost && !attacker.answeredWithin(1); sent += HEADER_CHUNK) {
                attacker.write(chunk);
            }
        } catch (IOException closedMeanwhile) {
            // The port closed the connection: the caller reads what it said first.
        }
        return attacker;
    }

    /**
     * {@code count} TCP connections that never send a byte, spread evenly over {@code sources} (127.x.y.z addresses),
     * and held open until the caller closes them.
     */
    public List<TcpPeer> openIdleConnections(int count, List<String> sources) throws IOException {
        List<TcpPeer> idle = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                idle.add(TcpPeer.connectFrom(sources.get(i % sources.size()), port));
            }
        } catch (IOException e) {
            for (TcpPeer connection : idle) {
                connection.close();
            }
            throw e;
        }
        return idle;
    }

    /**
     * Upgrades a connection from {@code source} and sends the {@code n}th of six kinds of garbage frame: text that
     * is not a message, a message before the handshake, a binary frame, a reserved opcode, an unmasked frame, text
     * that is not UTF-8. Returns the code of the close frame the port answered with.
     */
    public int sendGarbageFrame(int n, String source) throws IOException {
        try (TcpPeer attacker = TcpPeer.connectFrom(source, port)) {
            String upgraded = attacker.upgrade();
            if (!upgraded.startsWith("HTTP/1.1 101")) {
                throw new AssertionError("the port refused the upgrade: " + upgraded);
            }
            GARBAGE.get(n % GARBAGE.size()).sendTo(attacker);
            return attacker.awaitCloseFrame();
        }
    }

    @FunctionalInterface
    private interface Garbage {
        void sendTo(TcpPeer peer) throws IOException;
    }
}
