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
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.Role;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.Statement;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
        // Bob's side of channel 1: Alice deposited 1,000 and pays him.
        AtomicReference<Channel> bobsChannel = new AtomicReference<>(Channel.opened(DOMAIN, 1, BOB.address(),
                ALICE.address(), Address.ZERO, Role.B, 60, ChannelSide.EMPTY, new ChannelSide(Amount.of(1000), Amount.ZERO)));
        RecordingListener bob = new RecordingListener((connection, message) -> {
            if (message instanceof Pay pay) {
                Channel credited = bobsChannel.get().transition(new Channel.ReceiveProof(pay.proof())).channel();
                bobsChannel.set(credited);
                connection.send(new Receipt(credited.channelId(), credited.receivedNonce(), credited.receivedTotal()));
            }
        });
        server = PeerServer.start(config(BOB, DOMAIN), LOOPBACK, bob);
        RecordingListener alice = new RecordingListener();

        PeerConnection toBob = connect(config(ALICE, DOMAIN), Optional.of(BOB.address()), alice).get(WAIT_SECONDS,
                TimeUnit.SECONDS);
        Channel.Transition payment = Channel.opened(DOMAIN, 1, ALICE.address(), BOB.address(), Address.ZERO, Role.A,
                60, new ChannelSide(Amount.of(1000), Amount.ZERO), ChannelSide.EMPTY)
                .transition(new Channel.Pay(Amount.of(250), ALICE));
        Pay paid = new Pay(((Channel.SendProof) payment.effects().getFirst()).proof());
        toBob.send(paid);

        assertThat(toBob.remote()).isEqualTo(BOB.address());
        assertThat(bob.authenticated.get(WAIT_SECONDS, TimeUnit.SECONDS).remote()).isEqualTo(ALICE.address());
        assertThat(bob.next()).isEqualTo(paid);
        assertThat(alice.next()).isEqualTo(new Receipt(1, 1, Amount.of(250)));
        assertThat(bobsChannel.get().receivedTotal()).isEqualTo(Amount.of(250));

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
            raw.send(" ".repeat(WebSocketPeerConnection.FRAME_LIMIT + 1));

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

        try (Socket silent = new Socket("127.0.0.1", server.port())) {
            silent.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            OutputStream out = silent.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // Reads the upgrade, the hello and the pings it never answers, until the server hangs up.
            String received = readUntilClosed(silent.getInputStream());
            assertThat(received).startsWith("HTTP/1.1 101").contains("\"type\":\"hello\"")
                    .doesNotContain("\"type\":\"error\"");
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

    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            received.write(buffer, 0, read);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
