package io.turnpike.relay;

import static io.turnpike.relay.TestSessions.ALICE;
import static io.turnpike.relay.TestSessions.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RelayServerTest {

    private static final long BODY = 3 * 1024 * 1024 + 17;

    @TempDir
    Path dir;
    private RelayFixture fixture;

    @BeforeEach
    void start() throws IOException {
        fixture = RelayFixture.start(config -> config.withMaxConnectionsPerClient(2));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @ParameterizedTest(name = "{0} target")
    @ValueSource(strings = {"IPv4", "IPv6", "domain-name"})
    void curlWithItsTokenGetsTheBodyAndIsMeteredForEveryByte(String targetKind) throws Exception {
        String url = switch (targetKind) {
            case "IPv4" -> fixture.target.ipv4Url(BODY);
            case "IPv6" -> fixture.target.ipv6Url(BODY);
            default -> fixture.target.namedUrl(BODY);
        };
        String token = fixture.sessions.issue(ALICE);
        Path output = dir.resolve("body");

        Curl.Result result = Curl.run(fixture.relay.port(), ALICE, token, url, output);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestTarget.sha256(output)).isEqualTo(TestTarget.sha256(BODY));
        fixture.awaitIdle();
        assertThat(fixture.tally.up(ALICE)).isEqualTo(result.requestBytes());
        assertThat(fixture.tally.down(ALICE)).isEqualTo(result.responseBytes()).isGreaterThan(BODY);
    }

    @Test
    void curlWithoutCredentialsIsRefused() throws Exception {
        fixture.sessions.issue(ALICE);

        Curl.Result result = Curl.run(fixture.relay.port(), fixture.target.ipv4Url(BODY), dir.resolve("body"));

        assertRefused(result);
    }

    @Test
    void anotherClientsTokenIsRefused() throws Exception {
        fixture.sessions.issue(ALICE);
        String bobsToken = fixture.sessions.issue(BOB);

        Curl.Result result = Curl.run(fixture.relay.port(), ALICE, bobsToken, fixture.target.ipv4Url(BODY),
                dir.resolve("body"));

        assertRefused(result);
    }

    @Test
    void aWrongTokenIsRefused() throws Exception {
        String token = fixture.sessions.issue(ALICE);
        String wrong = token.substring(1) + (token.charAt(0) == '0' ? '1' : '0');

        Curl.Result result = Curl.run(fixture.relay.port(), ALICE, wrong, fixture.target.ipv4Url(BODY),
                dir.resolve("body"));

        assertRefused(result);
    }

    @Test
    void aTokenIssuedBeforeTheCurrentOneIsRefused() throws Exception {
        String old = fixture.sessions.issue(ALICE);
        fixture.sessions.issue(ALICE);

        Curl.Result result = Curl.run(fixture.relay.port(), ALICE, old, fixture.target.ipv4Url(BODY),
                dir.resolve("body"));

        assertRefused(result);
    }

    /** Each side's end of input reaches the other while the opposite direction still flows. */
    @Test
    void aHalfCloseIsPassedOnInBothDirections() throws Exception {
        String token = fixture.sessions.issue(ALICE);
        try (ServerSocket counter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Reads until the client's end of input, then answers with how many bytes it read.
            Thread.ofVirtual().start(() -> {
                try (Socket socket = counter.accept(); InputStream in = socket.getInputStream()) {
                    long read = in.transferTo(java.io.OutputStream.nullOutputStream());
                    socket.getOutputStream().write(Long.toString(read).getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] sent = new byte[300_000];
            try (SocksProbe probe = SocksProbe.connectThrough(fixture.relay.port(), ALICE, token,
                    counter.getLocalPort())) {
                assertThat(probe.readReplyCode()).isZero();
                probe.send(sent).shutdownOutput();

                byte[] answer = probe.readToEnd();

                assertThat(new String(answer, StandardCharsets.US_ASCII)).isEqualTo("300000");
                fixture.awaitIdle();
                assertThat(fixture.tally.up(ALICE)).isEqualTo(sent.length);
                assertThat(fixture.tally.down(ALICE)).isEqualTo(answer.length);
            }
        }
    }

    @Test
    void connectionsBeyondTheClientsLimitAreRefused() throws Exception {
        String token = fixture.sessions.issue(ALICE);
        int port = fixture.target.ipv4Port();
        try (SocksProbe first = SocksProbe.connectThrough(fixture.relay.port(), ALICE, token, port);
             SocksProbe second = SocksProbe.connectThrough(fixture.relay.port(), ALICE, token, port);
             SocksProbe third = SocksProbe.connectThrough(fixture.relay.port(), ALICE, token, port)) {
            assertThat(first.readReplyCode()).isZero();
            assertThat(second.readReplyCode()).isZero();
            assertThat(third.readToEnd()).isEqualTo(SocksProbe.refusal(0x02));
        }
        fixture.awaitIdle();
        try (SocksProbe again = SocksProbe.connectThrough(fixture.relay.port(), ALICE, token, port)) {
            assertThat(again.readReplyCode()).as("closed connections no longer count").isZero();
        }
    }

    @Test
    void privateTargetsAreRefusedUnlessAllowed() throws Exception {
        try (RelayServer strict = RelayServer.start(
                RelayConfig.listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                fixture.sessions, fixture.tally)) {
            String token = fixture.sessions.issue(ALICE);
            try (SocksProbe probe = SocksProbe.connectThrough(strict.port(), ALICE, token,
                    fixture.target.ipv4Port())) {
                assertThat(probe.readToEnd()).isEqualTo(SocksProbe.refusal(0x02));
            }
            assertThat(fixture.target.requests()).isZero();
        }
    }

    @Test
    void aClientDrippingItsHandshakeInsideTheReadTimeoutIsCutAtTheHandshakeDeadline() throws Exception {
        try (RelayServer strict = RelayServer.start(
                RelayConfig.listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                        .withHandshakeTimeout(Duration.ofSeconds(1)), fixture.sessions, fixture.tally);
             Socket dripper = new Socket(InetAddress.getLoopbackAddress(), strict.port())) {
            OutputStream out = dripper.getOutputStream();
            // A greeting that offers 200 methods, one byte every 200 ms: each read is well inside the 1 s timeout,
            // the whole would take 40 s.
            out.write(new byte[] {5, (byte) 200});
            int dripped = 0;
            boolean cut = false;
            while (!cut && dripped < 200) {
                TimeUnit.MILLISECONDS.sleep(200);
                try {
                    out.write(2);
                    out.flush();
                    dripped++;
                } catch (IOException reset) {
                    cut = true;
                }
                cut |= strict.openConnections() == 0;
            }

            // Without the deadline the relay would read on until the greeting's 200th method.
            assertThat(cut).as("cut while still dripping").isTrue();
            assertThat(dripped).as("methods dripped before the cut").isLessThan(100);
        }
    }

    private void assertRefused(Curl.Result result) {
        assertThat(result.exitCode()).as("curl exit code").isNotZero();
        assertThat(fixture.target.requests()).as("requests that got through").isZero();
        fixture.awaitIdle();
        assertThat(fixture.tally.all()).as("bytes metered").isZero();
    }
}
