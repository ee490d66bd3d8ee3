package io.turnpike.protocol;

import static io.turnpike.protocol.PeerFixtures.ALICE;
import static io.turnpike.protocol.PeerFixtures.BOB;
import static io.turnpike.protocol.PeerFixtures.CONTRACT;
import static io.turnpike.protocol.PeerFixtures.DOMAIN;
import static io.turnpike.protocol.PeerFixtures.MALLORY;
import static io.turnpike.protocol.PeerFixtures.config;
import static io.turnpike.protocol.PeerFixtures.seeded;
import static io.turnpike.protocol.RecordingListener.WAIT_SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.Statement;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real endpoints over loopback WebSocket. */
class PeerTransportTest {

    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);
    private static final Statement STATEMENT = new Statement(Amount.of(500), Amount.of(400), Amount.of(100));

    private PeerServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void twoNodesAuthenticateAndAPaymentIsAnsweredWithAReceipt() throws Exception {
        // Bob credits a proof Alice signed, on the connection her handshake bound to her address.
        RecordingListener bob = new RecordingListener((connection, message) -> {
            if (message instanceof Pay pay && pay.proof().isSignedBy(connection.remote(), DOMAIN)) {
                BalanceProof proof = pay.proof().message();
                connection.send(new Receipt(proof.channelId(), proof.nonce(), proof.transferred()));
            }
        });
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, bob);
        RecordingListener alice = new RecordingListener();

        PeerConnection toBob = connect(config(ALICE, DOMAIN), Optional.of(BOB.address()), alice).get(WAIT_SECONDS,
                TimeUnit.SECONDS);
        Pay pay = new Pay(Signed.sign(new BalanceProof(1, 1, Amount.of(250)), DOMAIN, ALICE));
        toBob.send(pay);

        assertThat(toBob.remote()).isEqualTo(BOB.address());
        assertThat(bob.authenticated.get(WAIT_SECONDS, TimeUnit.SECONDS).remote()).isEqualTo(ALICE.address());
        assertThat(bob.next()).isEqualTo(pay);
        assertThat(alice.next()).isEqualTo(new Receipt(1, 1, Amount.of(250)));

        toBob.close();
        assertThat(bob.closed.get(WAIT_SECONDS, TimeUnit.SECONDS).remote()).isEqualTo(ALICE.address());
        toBob.closed().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void garbageBeforeTheHandshakeIsAnsweredWithAnErrorAndTheConnectionCloses() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, new RecordingListener());

        try (RawPeer raw = RawPeer.connect(server.port())) {
            assertThat(raw.next()).isInstanceOf(PeerMessage.Hello.class);
            raw.send("GET /index.html");

            assertThat(raw.nextErrorCode()).isEqualTo("malformed_message");
            assertThat(raw.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void aMessageBeforeTheHandshakeIsRefusedAsUnauthenticatedAndNeverReachesTheNode() throws Exception {
        RecordingListener bob = new RecordingListener();
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, bob);

        try (RawPeer raw = RawPeer.connect(server.port())) {
            PeerMessage.Hello hello = (PeerMessage.Hello) raw.next();
            raw.send(STATEMENT);
            assertThat(raw.nextErrorCode()).isEqualTo("unauthenticated");

            // Still open: the handshake can go on, and only then do messages reach Bob.
            raw.answer(hello, ALICE, Bytes32.random(seeded(5)));
            raw.send(STATEMENT);
            assertThat(bob.next()).isEqualTo(STATEMENT);
        }
    }

    @Test
    void garbageAfterTheHandshakeIsAnsweredWithAnErrorAndTheConnectionStays() throws Exception {
        RecordingListener bob = new RecordingListener();
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, bob);

        try (RawPeer raw = RawPeer.connect(server.port())) {
            raw.authenticateAs(ALICE, Bytes32.random(seeded(5)));
            raw.send("{\"type\":\"pay\",");
            assertThat(raw.nextErrorCode()).isEqualTo("malformed_message");
            raw.send("{\"type\":\"pay\",\"v\":2}");
            assertThat(raw.nextErrorCode()).isEqualTo("unsupported_version");
            raw.send("{\"type\":\"invoice\",\"v\":1}");
            assertThat(raw.nextErrorCode()).isEqualTo("unknown_message_type");
            raw.send(" ".repeat(PeerCodec.MAX_MESSAGE_BYTES + 1));
            assertThat(raw.nextErrorCode()).isEqualTo("message_too_large");

            raw.send(STATEMENT);
            assertThat(bob.next()).isEqualTo(STATEMENT);
            assertThat(raw.isOpen()).isTrue();
        }
    }

    @Test
    void aRefusalByTheNodeGoesBackAsAnErrorWithItsCode() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, new RecordingListener((connection, message) -> {
            throw new TurnpikeException(ErrorCode.STALE_PROOF, "proof nonce 1 does not supersede 4");
        }));

        try (RawPeer raw = RawPeer.connect(server.port())) {
            raw.authenticateAs(ALICE, Bytes32.random(seeded(5)));
            raw.send(STATEMENT);

            assertThat(raw.next()).isEqualTo(new PeerMessage.ErrorMessage("stale_proof",
                    "proof nonce 1 does not supersede 4"));
            assertThat(raw.isOpen()).isTrue();
        }
    }

    @Test
    void aFrameOverTheTransportLimitClosesTheConnection() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, new RecordingListener());

        try (RawPeer raw = RawPeer.connect(server.port())) {
            raw.authenticateAs(ALICE, Bytes32.random(seeded(5)));
            raw.send(" ".repeat(PeerLimits.defaults().maxMessageBytes() + 1));

            assertThat(raw.awaitClose()).isEqualTo(1009);
        }
    }

    @Test
    void aPeerOnAnotherChainIsRefusedAsWrongNetwork() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, new RecordingListener());

        TurnpikeException refused = handshakeFailure(connect(config(ALICE, Eip712Domain.turnpike(1, CONTRACT)),
                Optional.empty(), new RecordingListener()));

        assertThat(refused.code()).isEqualTo(ErrorCode.WRONG_NETWORK);
    }

    @Test
    void dialingANodeThatProvesAnotherIdentityFailsAsUnexpectedPeer() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, new RecordingListener());

        TurnpikeException refused = handshakeFailure(connect(config(ALICE, DOMAIN), Optional.of(MALLORY.address()),
                new RecordingListener()));

        assertThat(refused.code()).isEqualTo(ErrorCode.UNEXPECTED_PEER);
    }

    @Test
    void dialingAPortWhereNothingListensFailsWithACodedError() throws Exception {
        int closedPort;
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK.getAddress())) {
            closedPort = taken.getLocalPort();
        }

        TurnpikeException refused = handshakeFailure(PeerClient.connect(config(ALICE, DOMAIN),
                URI.create("ws://127.0.0.1:" + closedPort), Optional.empty(), new RecordingListener()));

        assertThat(refused.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(refused.getMessage()).contains("could not open a peer connection");
    }

    @Test
    void theTransportStartsOnlyDaemonThreadsSoAProcessCanEndByReturningFromMain() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, new RecordingListener());
        connect(config(ALICE, DOMAIN), Optional.of(BOB.address()), new RecordingListener())
                .get(WAIT_SECONDS, TimeUnit.SECONDS).close();

        // Jetty names its pools' threads after the pool: ours ("peer-…"), or one it would make itself.
        assertThat(Thread.getAllStackTraces().keySet()).filteredOn(thread -> !thread.isDaemon())
                .extracting(Thread::getName)
                .noneMatch(name -> name.matches("(peer-|WebSocket@|qtp|HttpClient@|Scheduler-).*"));
    }

    @Test
    void aPeerThatNeverAuthenticatesIsClosedWhenTheHandshakeTimesOut() throws Exception {
        server = PeerServer.start(config(BOB, DOMAIN).withHandshakeTimeout(Duration.ofMillis(200)), LOOPBACK,
                new RecordingListener());

        try (RawPeer raw = RawPeer.connect(server.port())) {
            assertThat(raw.next()).isInstanceOf(PeerMessage.Hello.class);

            assertThat(raw.nextErrorCode()).isEqualTo("unauthenticated");
            assertThat(raw.awaitClose()).isEqualTo(1008);
        }
    }

    @Test
    void aPeerThatStopsAnsweringPingsIsDisconnected() throws Exception {
        // A long handshake timeout, so only the missing pongs can close the connection.
        server = PeerServer.start(config(BOB, DOMAIN).withHandshakeTimeout(Duration.ofMinutes(1)), LOOPBACK,
                new RecordingListener());

        try (TcpPeer silent = TcpPeer.connect(server.port())) {
            assertThat(silent.upgrade()).startsWith("HTTP/1.1 101");

            // Reads the hello and the pings it never answers, until the server hangs up.
            assertThat(silent.readUntilClosed()).contains("\"type\":\"hello\"").doesNotContain("\"type\":\"error\"");
        }
    }

    private CompletableFuture<PeerConnection> connect(PeerConfig config, Optional<Address> expected,
                                                      PeerListener listener) {
        return PeerClient.connect(config, URI.create("ws://127.0.0.1:" + server.port()), expected, listener);
    }

    private static TurnpikeException handshakeFailure(CompletableFuture<PeerConnection> connecting) {
        ExecutionException failed = catchThrowableOfType(ExecutionException.class,
                () -> connecting.get(WAIT_SECONDS, TimeUnit.SECONDS));
        assertThat(failed).as("the handshake fails").isNotNull();
        assertThat(failed.getCause()).isInstanceOf(TurnpikeException.class);
        return (TurnpikeException) failed.getCause();
    }
}
