package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.node.fixtures.DataDirs;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provider node's relay serves only authenticated peers, each with its own session token: the node hands a
 * token to the peer that proved its address on the peer connection, and the relay takes it for that address only,
 * while that connection lasts.
 */
class RelayAccessTest {

    private static final long BODY = 64 * 1024;

    @TempDir
    Path folder;

    private PacedServer target;
    private TurnpikeNode provider;
    private int relayPort;
    private URI body;

    @BeforeEach
    void startProvider() {
        target = new PacedServer(10_000_000);
        body = target.body(BODY);
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised dir = nodes.datadir("provider", 1);
        nodes.configure(dir, TestNodes.provider(FreePort.take(), FreePort.take(), "1000", "1000000000",
                125_000));
        provider = nodes.start(dir);
        relayPort = provider.relayPort().orElseThrow();
    }

    @AfterEach
    void stop() {
        provider.close();
        provider.context().close();
        target.close();
    }

    @Test
    void aConnectionWithoutAValidTokenIsRefusedBeforeItReachesAnyTarget() throws Exception {
        Address nobody = TestNodes.newKey().address();
        assertThat(Curl.fetch(Curl.socks(relayPort), body).succeeded()).as("no credentials").isFalse();
        assertThat(Curl.fetch(Curl.socks(relayPort, nobody, "00".repeat(24)), body).succeeded())
                .as("a token nobody was given").isFalse();
        assertThat(target.requests()).isZero();
    }

    @Test
    void aClientCannotUseAnotherClientsToken() throws Exception {
        try (RawPeer alice = connect(); RawPeer bob = connect()) {
            String aliceToken = alice.sessionToken();
            String bobToken = bob.sessionToken();

            assertThat(Curl.fetch(Curl.socks(relayPort, alice.address(), bobToken), body).succeeded()).isFalse();
            assertThat(Curl.fetch(Curl.socks(relayPort, bob.address(), aliceToken), body).succeeded()).isFalse();
            assertThat(target.requests()).isZero();

            // Each with its own token gets through.
            assertThat(Curl.fetch(Curl.socks(relayPort, alice.address(), aliceToken), body).bytes()).isEqualTo(BODY);
            assertThat(Curl.fetch(Curl.socks(relayPort, bob.address(), bobToken), body).bytes()).isEqualTo(BODY);
            assertThat(target.requests()).isEqualTo(2);
        }
    }

    @Test
    void aTokenEndsWithThePeerConnectionItWasIssuedOn() throws Exception {
        Address alice;
        String token;
        try (RawPeer peer = connect()) {
            alice = peer.address();
            token = peer.sessionToken();
            assertThat(Curl.fetch(Curl.socks(relayPort, alice, token), body).bytes()).isEqualTo(BODY);
        }
        Downloads.await(() -> provider.provider().orElseThrow().views().stream().noneMatch(v -> v.connected()),
                java.time.Duration.ofSeconds(10));
        assertThat(Curl.fetch(Curl.socks(relayPort, alice, token), body).succeeded()).isFalse();
        assertThat(target.requests()).isEqualTo(1);
    }

    private RawPeer connect() throws Exception {
        return RawPeer.connect(TestNodes.newKey(), provider.contract().domain(), provider.peerPort(),
                provider.context().key().address());
    }
}
