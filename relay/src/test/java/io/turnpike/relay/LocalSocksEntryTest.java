package io.turnpike.relay;

import static io.turnpike.relay.TestSessions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.turnpike.core.Address;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** curl → LocalSocksEntry → RelayServer → HTTP server, all real sockets. */
class LocalSocksEntryTest {

    private static final Address PROVIDER = Address.of("0x" + "c3".repeat(20));
    private static final long BODY = 2 * 1024 * 1024 + 5;

    @TempDir
    Path dir;
    private RelayFixture fixture;
    private final Tally entryTally = new Tally();
    private final AtomicReference<Optional<RelayRoute>> route = new AtomicReference<>(Optional.empty());
    private LocalSocksEntry entry;

    @BeforeEach
    void start() throws IOException {
        fixture = RelayFixture.start();
        entry = LocalSocksEntry.start(0, route::get, entryTally);
    }

    @AfterEach
    void stop() {
        Await.until("the entry has closed every connection", () -> entry.openConnections() == 0);
        fixture.awaitIdle();
        entry.close();
        fixture.close();
    }

    @Test
    void curlThroughTheEntryGetsTheBodyAndBothEndsMeterTheSameBytes() throws Exception {
        useToken(fixture.sessions.issue(ALICE));
        Path output = dir.resolve("body");

        Curl.Result result = Curl.run(entry.port(), fixture.target.namedUrl(BODY), output);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestTarget.sha256(output)).isEqualTo(TestTarget.sha256(BODY));
        Await.until("the entry has closed every connection", () -> entry.openConnections() == 0);
        fixture.awaitIdle();
        assertThat(fixture.tally.up(ALICE)).isEqualTo(entryTally.up(PROVIDER)).isEqualTo(result.requestBytes());
        assertThat(fixture.tally.down(ALICE)).isEqualTo(entryTally.down(PROVIDER))
                .isEqualTo(result.responseBytes()).isGreaterThan(BODY);
    }

    @Test
    void aRenewedTokenIsUsedFromTheNextConnectionOn() throws Exception {
        useToken(fixture.sessions.issue(ALICE));
        fixture.sessions.issue(ALICE); // the provider reconnected and issued a new token; the old one is dead

        assertThat(connectThroughEntry(fixture.target.ipv4Port())).as("refused: not allowed").isEqualTo(0x02);
        assertThat(Curl.run(entry.port(), fixture.target.ipv4Url(BODY), dir.resolve("refused")).exitCode()).isNotZero();

        useToken(fixture.sessions.issue(ALICE));
        Path output = dir.resolve("body");
        Curl.Result result = Curl.run(entry.port(), fixture.target.ipv4Url(BODY), output);

        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(TestTarget.sha256(output)).isEqualTo(TestTarget.sha256(BODY));
    }

    @Test
    void theRelaysRefusalReachesTheLocalClient() throws Exception {
        useToken(fixture.sessions.issue(ALICE));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThat(connectThroughEntry(closedPort)).as("connection refused").isEqualTo(0x05);
        assertThat(entryTally.all()).isZero();
    }

    @Test
    void withoutAProviderOrWithItsRelayDownConnectionsFail() throws Exception {
        assertThat(connectThroughEntry(fixture.target.ipv4Port())).as("no route: general failure").isEqualTo(0x01);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        route.set(Optional.of(new RelayRoute(PROVIDER, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                closedPort), ALICE, fixture.sessions.issue(ALICE))));
        assertThat(connectThroughEntry(fixture.target.ipv4Port())).as("relay down: general failure").isEqualTo(0x01);
        assertThat(fixture.target.requests()).isZero();
    }

    @Test
    void theEntryCannotBeReachedFromAnotherMachine() throws Exception {
        Optional<InetAddress> external = NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
                .findFirst();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address");

        assertThatThrownBy(() -> new Socket(external.get(), entry.port()).close())
                .isInstanceOf(ConnectException.class);
    }

    private void useToken(String token) {
        route.set(Optional.of(new RelayRoute(PROVIDER,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), fixture.relay.port()), ALICE, token)));
    }

    /** A CONNECT to 127.0.0.1:{@code port} through the entry, without authentication; the reply code. */
    private int connectThroughEntry(int port) throws IOException {
        try (SocksProbe probe = SocksProbe.connect(entry.port())) {
            probe.send(5, 1, 0).expect(5, 0);
            probe.send(SocksProbe.request(SocksProbe.CONNECT, 127, 0, 0, 1, port >> 8, port & 0xFF));
            return probe.readReplyCode();
        }
    }
}
