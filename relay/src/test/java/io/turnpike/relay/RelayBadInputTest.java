package io.turnpike.relay;

import static io.turnpike.relay.TestSessions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each bad input gets the RFC 1928 answer, then the connection is closed, nothing is metered or leaked. */
class RelayBadInputTest {

    private RelayFixture fixture;
    private String token;

    @BeforeEach
    void start() throws IOException {
        fixture = RelayFixture.start();
        token = fixture.sessions.issue(ALICE);
    }

    @AfterEach
    void nothingMeteredAndNothingLeftOpen() {
        fixture.awaitIdle();
        assertThat(fixture.tally.all()).isZero();
        assertThat(fixture.target.requests()).isZero();
        fixture.close();
    }

    @Test
    void garbageInsteadOfAGreetingGetsNoAcceptableMethod() throws Exception {
        try (SocksProbe probe = SocksProbe.connect(fixture.relay.port())) {
            probe.send("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

            assertThat(probe.readToEnd()).containsExactly(5, 0xFF);
        }
    }

    @Test
    void aClientOfferingNoAuthenticationGetsNoAcceptableMethod() throws Exception {
        try (SocksProbe probe = SocksProbe.connect(fixture.relay.port())) {
            probe.send(5, 1, 0);

            assertThat(probe.readToEnd()).containsExactly(5, 0xFF);
        }
    }

    @Test
    void bindIsNotSupported() throws Exception {
        assertRequestRefused(SocksProbe.request(SocksProbe.BIND, 127, 0, 0, 1, 0, 80), 0x07);
    }

    @Test
    void udpAssociateIsNotSupported() throws Exception {
        assertRequestRefused(SocksProbe.request(SocksProbe.UDP_ASSOCIATE, 0, 0, 0, 0, 0, 0), 0x07);
    }

    @Test
    void anUnknownAddressTypeIsNotSupported() throws Exception {
        byte[] request = SocksProbe.request(SocksProbe.CONNECT, 127, 0, 0, 1, 0, 80);
        request[3] = 0x09;
        assertRequestRefused(request, 0x08);
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        assertRequestRefused(SocksProbe.request(SocksProbe.CONNECT, 127, 0, 0, 1, closedPort >> 8, closedPort & 0xFF),
                0x05);
    }

    @Test
    void aNameThatDoesNotResolveIsHostUnreachable() throws Exception {
        // .invalid never resolves (RFC 2606).
        assertRequestRefused(SocksProbe.request(SocksProbe.CONNECT, "no-such-host.invalid", 80), 0x04);
    }

    @Test
    void aTruncatedRequestIsClosedWithoutAReply() throws Exception {
        try (SocksProbe probe = SocksProbe.connect(fixture.relay.port()).authenticate(ALICE, token)) {
            probe.send(5, 1, 0, 3, 20, 'e', 'x', 'a').shutdownOutput();

            assertThat(probe.readToEnd()).isEmpty();
        }
    }

    @Test
    void aTruncatedGreetingIsClosedWithoutAReply() throws Exception {
        try (SocksProbe probe = SocksProbe.connect(fixture.relay.port())) {
            probe.send(5, 3, 2).shutdownOutput();

            assertThat(probe.readToEnd()).isEmpty();
        }
    }

    private void assertRequestRefused(byte[] request, int reply) throws IOException {
        try (SocksProbe probe = SocksProbe.connect(fixture.relay.port()).authenticate(ALICE, token)) {
            probe.send(request);

            assertThat(probe.readToEnd()).isEqualTo(SocksProbe.refusal(reply));
        }
    }
}
