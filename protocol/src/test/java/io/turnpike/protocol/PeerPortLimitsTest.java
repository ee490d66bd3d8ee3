package io.turnpike.protocol;

import static io.turnpike.protocol.PeerFixtures.ALICE;
import static io.turnpike.protocol.PeerFixtures.BOB;
import static io.turnpike.protocol.PeerFixtures.CAROL;
import static io.turnpike.protocol.PeerFixtures.DOMAIN;
import static io.turnpike.protocol.PeerFixtures.config;
import static io.turnpike.protocol.PeerFixtures.seeded;
import static io.turnpike.protocol.PeerPortProbe.CLOSE_MESSAGE_TOO_LARGE;
import static io.turnpike.protocol.PeerPortProbe.FRAGMENT;
import static io.turnpike.protocol.RecordingListener.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.Statement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The peer port under the security probe's attacks, each against a real server with small limits: the
 * attacker is cut off at its limit, and an honest node on the same port is still served afterwards.
 */
class PeerPortLimitsTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final Statement STATEMENT = new Statement(Amount.of(500), Amount.of(400), Amount.of(100));
    /** Where an attack a limit does not stop gives up: far past every limit these tests set. */
    private static final long ENDLESS = 16L * 1024 * 1024;

    private PeerServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void anEndlessFragmentedMessageBeforeTheHandshakeIsClosedOneFragmentPastTheLimit() throws Exception {
        PeerLimits limits = PeerLimits.defaults().withMaxHandshakeMessageBytes(8 * FRAGMENT);
        RecordingListener bob = echoing();
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, bob);

        try (RawPeer attacker = probe().unauthenticated()) {
            long sent = PeerPortProbe.sendEndlessMessage(attacker, limits.maxHandshakeMessageBytes(), ENDLESS);

            assertThat(sent).isEqualTo(limits.maxHandshakeMessageBytes() + FRAGMENT);
            assertThat(attacker.awaitClose()).isEqualTo(CLOSE_MESSAGE_TOO_LARGE);
        }
        assertAnHonestNodeIsServed(bob);
    }

    @Test
    void anEndlessFragmentedMessageAfterTheHandshakeIsClosedOneFragmentPastTheLimit() throws Exception {
        PeerLimits limits = PeerLimits.defaults().withMaxMessageBytes(32 * FRAGMENT);
        RecordingListener bob = echoing();
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, bob);

        try (RawPeer attacker = probe().authenticatedAs(ALICE)) {
            // Authenticated, the peer may send more than the handshake limit, up to its own.
            long sent = PeerPortProbe.sendEndlessMessage(attacker, limits.maxMessageBytes(), ENDLESS);

            assertThat(sent).isEqualTo(limits.maxMessageBytes() + FRAGMENT);
            assertThat(attacker.awaitClose()).isEqualTo(CLOSE_MESSAGE_TOO_LARGE);
        }
        assertAnHonestNodeIsServed(bob);
    }

    @Test
    void aPeerThatDoesNotReadIsDisconnectedOnceItsBacklogPassesTheCap() throws Exception {
        // Every session request is answered with a 1 KiB error: answers pile up far faster than requests.
        String refusal = "x".repeat(Wire.MAX_TEXT_LENGTH);
        RecordingListener bob = new RecordingListener((connection, message) -> {
            if (message instanceof SessionRequest) {
                throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, refusal);
            }
            connection.send(message);
        });
        // Pings every minute: only the backlog can end this connection within the test.
        PeerConfig config = config(BOB, DOMAIN).withPingInterval(Duration.ofMinutes(1))
                .withLimits(PeerLimits.defaults().withMaxQueuedBytes(64 * 1024));
        server = PeerServer.start(config, LOOPBACK, bob);

        try (TcpPeer slowReader = probe().authenticatedWithASmallReceiveBuffer(ALICE)) {
            // 50 MiB of answers: far more than the sockets' buffers on both sides and the cap hold together.
            PeerPortProbe.sendWithoutReading(slowReader, new SessionRequest("bandwidth"), 50_000);

            assertThat(bob.closed.get(WAIT_SECONDS, TimeUnit.SECONDS).remote()).isEqualTo(ALICE.address());
        }
        assertAnHonestNodeIsServed(bob);
    }

    @Test
    void anUpgradeRequestWhoseHeadersNeverEndIsRefusedAtTheHeaderLimit() throws Exception {
        PeerLimits limits = PeerLimits.defaults().withMaxRequestHeaderBytes(4096);
        RecordingListener bob = echoing();
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, bob);

        try (TcpPeer attacker = probe().sendEndlessUpgradeHeader(limits.maxRequestHeaderBytes(), ENDLESS)) {
            assertThat(attacker.readResponseHead()).startsWith("HTTP/1.1 431");
            assertThat(attacker.closedWithin(5_000)).isTrue();
        }
        assertAnHonestNodeIsServed(bob);
    }

    @Test
    void threeHundredConnectionsThatNeverUpgradeAreClosedAtTheUpgradeDeadline() throws Exception {
        PeerLimits limits = PeerLimits.defaults().withUpgradeTimeout(Duration.ofMillis(300))
                .withMaxConnectionsPerAddress(400);
        RecordingListener bob = echoing();
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, bob);

        List<TcpPeer> idle = probe().openIdleConnections(300, List.of("127.0.0.1"));
        try {
            for (TcpPeer connection : idle) {
                assertThat(connection.closedWithin(10_000)).as("closed by the server").isTrue();
            }
        } finally {
            for (TcpPeer connection : idle) {
                connection.close();
            }
        }
        assertAnHonestNodeIsServed(bob);
    }

    @Test
    void aRequestTrickledByteByByteIsClosedAtTheUpgradeDeadlineThoughNeverIdle() throws Exception {
        PeerLimits limits = PeerLimits.defaults().withUpgradeTimeout(Duration.ofMillis(500));
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, echoing());

        try (TcpPeer slowloris = TcpPeer.connect(server.port())) {
            byte[] request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".concat("a".repeat(1000))
                    .getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            // One byte every 50 ms keeps the connection from ever being idle for the 500 ms deadline.
            for (int i = 0; i < request.length && !closed; i++) {
                try {
                    slowloris.write(new byte[] {request[i]});
                    closed = slowloris.closedWithin(50);
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed before the request ended").isTrue();
        }
    }

    @Test
    void connectionsPastThePerAddressOrTheTotalCapAreClosedOnAccept() throws Exception {
        PeerLimits limits = PeerLimits.defaults().withMaxConnectionsPerAddress(2).withMaxConnections(3)
                .withUpgradeTimeout(Duration.ofMinutes(1));
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, echoing());

        // Each admitted connection upgrades before the next dials: Jetty opens concurrent ones in any order.
        TcpPeer first = upgradedFrom("127.0.0.2");
        try (TcpPeer second = upgradedFrom("127.0.0.2");
             TcpPeer fromAnotherAddress = upgradedFrom("127.0.0.3");
             TcpPeer thirdFromTheSameAddress = TcpPeer.connectFrom("127.0.0.2", server.port());
             TcpPeer pastTheTotal = TcpPeer.connectFrom("127.0.0.4", server.port())) {

            assertThat(thirdFromTheSameAddress.closedWithin(5_000)).isTrue();
            assertThat(pastTheTotal.closedWithin(5_000)).isTrue();
            assertThat(second.closedWithin(100)).isFalse();
            assertThat(fromAnotherAddress.closedWithin(100)).isFalse();

            // A closed connection frees its place.
            first.close();
            assertThat(eventuallyUpgrades("127.0.0.2")).isTrue();
        } finally {
            first.close();
        }
    }

    @Test
    void fiveHundredGarbageFramesBeforeTheHandshakeAreCountedAndNeverLoggedAsErrors() throws Exception {
        // Each garbage frame ends its connection, so 500 connections in a row from one address.
        PeerLimits limits = PeerLimits.defaults().withMaxConnectionsPerAddress(1000);
        RecordingListener bob = echoing();
        server = PeerServer.start(config(BOB, DOMAIN).withLimits(limits), LOOPBACK, bob);

        try (CapturedLog log = CapturedLog.start()) {
            for (int i = 0; i < 500; i++) {
                probe().sendGarbageFrame(i, "127.0.0.1");
            }
            assertAnHonestNodeIsServed(bob);

            // Jetty reports a broken frame once the connection is gone, just after the attacker sees the close.
            assertThat(eventually(() -> server.rejectedBeforeHandshake() >= 500)).isTrue();
            assertThat(server.rejectedBeforeHandshake()).isEqualTo(500);
            assertThat(log.linesAt("ERROR")).isEmpty();
            assertThat(log.linesAt("WARN")).isEmpty();
        }
    }

    @Test
    void anHttpRequestThatIsNotAnUpgradeIsAnswered426AndCounted() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, echoing());

        try (TcpPeer browser = TcpPeer.connect(server.port())) {
            browser.write("GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertThat(browser.readResponseHead()).startsWith("HTTP/1.1 426");
            assertThat(browser.closedWithin(5_000)).isTrue();
        }
        assertThat(server.rejectedBeforeHandshake()).isEqualTo(1);
    }

    @Test
    void aFatalErrorIsLoggedOnceAndHandedOnceToTheHook() throws Exception {
        List<Throwable> fatal = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> reported = new CompletableFuture<>();
        RecordingListener bob = new RecordingListener((connection, message) -> {
            throw new OutOfMemoryError("Java heap space (simulated)");
        });
        PeerConfig config = config(BOB, DOMAIN).withOnFatalError(error -> {
            fatal.add(error);
            reported.complete(null);
        });
        server = PeerServer.start(config, LOOPBACK, bob);

        try (CapturedLog log = CapturedLog.start()) {
            for (int seed = 1; seed <= 2; seed++) {
                try (RawPeer peer = RawPeer.connect(server.port())) {
                    peer.authenticateAs(ALICE, Bytes32.random(seeded(seed)));
                    peer.send(STATEMENT);
                    peer.awaitClose();
                }
            }
            reported.get(WAIT_SECONDS, TimeUnit.SECONDS);

            assertThat(fatal).singleElement().isInstanceOf(OutOfMemoryError.class);
            assertThat(log.linesAt("ERROR")).singleElement().asString().contains("peer transport failed");
        }
    }

    /** A node with another key completes the handshake on the same port and has a message answered. */
    private void assertAnHonestNodeIsServed(RecordingListener bob) throws Exception {
        RecordingListener carol = new RecordingListener();
        PeerConnection toBob = PeerClient.connect(config(CAROL, DOMAIN),
                URI.create("ws://127.0.0.1:" + server.port()), Optional.of(BOB.address()), carol)
                .get(WAIT_SECONDS, TimeUnit.SECONDS);
        toBob.send(STATEMENT);

        assertThat(carol.next()).isEqualTo(STATEMENT);
        toBob.close();
    }

    private TcpPeer upgradedFrom(String source) throws IOException {
        TcpPeer peer = TcpPeer.connectFrom(source, server.port());
        assertThat(peer.upgrade()).startsWith("HTTP/1.1 101");
        return peer;
    }

    private boolean eventuallyUpgrades(String source) throws Exception {
        return eventually(() -> {
            try (TcpPeer peer = TcpPeer.connectFrom(source, server.port())) {
                return peer.upgrade().startsWith("HTTP/1.1 101");
            } catch (IOException refusedMeanwhile) {
                return false;
            }
        });
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private PeerPortProbe probe() {
        return new PeerPortProbe(server.port(), DOMAIN);
    }

    /** Bob's side for these tests: every message is answered with itself. */
    private static RecordingListener echoing() {
        return new RecordingListener(PeerConnection::send);
    }
}
