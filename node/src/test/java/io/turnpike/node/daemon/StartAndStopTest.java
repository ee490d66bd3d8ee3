package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Turnpike;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * `turnpike node` started and stopped as an operator does: one node per data directory, a port another program holds
 * named in one line with nothing left running, and SIGTERM or Ctrl-C a clean stop with exit status 0.
 */
class StartAndStopTest {

    private static final String PEER_PORT = "turnpike.peer.port";
    private static final String RELAY_PORT = "turnpike.provider.services.bandwidth.relay-port";
    private static final String SOCKS_PORT = "turnpike.client.socks-port";
    private static final String API_PORT = "turnpike.api.port";

    @TempDir
    Path folder;

    private TestNodes nodes;
    private DataDirs.Initialised dir;

    @BeforeEach
    void nodeOnAnvil() {
        nodes = new TestNodes(SharedAnvil.get(), folder);
        dir = nodes.datadir("node", 1);
    }

    @Test
    void aSecondNodeOnTheDataDirectoryOfARunningOneIsRefusedAndChangesNothing() throws Exception {
        // The chain is not polled while the data directory is compared, so the first node writes nothing meanwhile.
        nodes.configure(dir, ports(FreePort.take(), FreePort.take()) + "\nchain.poll-interval = 1h");
        try (OperatorProcess first = OperatorProcess.node(dir.home(), dir.passphraseFile())) {
            first.start();
            Map<String, String> before = DataDirs.snapshot(dir.directory());

            Turnpike.Result second = runNode();

            assertRefusedInOneLine(second, ErrorCode.ALREADY_RUNNING);
            assertThat(second.err()).contains("another node (process " + first.pid() + ") is running on "
                    + dir.directory(), "Stop it first");
            assertThat(DataDirs.snapshot(dir.directory())).isEqualTo(before);
        }
    }

    @Test
    void aKilledNodeLeavesNothingThatKeepsTheNextFromStarting() throws Exception {
        nodes.configure(dir, ports(FreePort.take(), FreePort.take()));
        try (OperatorProcess node = OperatorProcess.node(dir.home(), dir.passphraseFile())) {
            node.start();
            node.kill();

            node.start();

            assertThat(node.stop("TERM")).as(node.log()).isZero();
        }
    }

    @ParameterizedTest(name = "SIG{0}")
    @ValueSource(strings = {"TERM", "INT"})
    void aSignalStopsTheNodeCleanlyAndItExitsWithZero(String signal) throws Exception {
        nodes.configure(dir, ports(FreePort.take(), FreePort.take()));
        try (OperatorProcess node = OperatorProcess.node(dir.home(), dir.passphraseFile())) {
            node.start();

            int status = node.stop(signal);

            String log = node.log();
            assertThat(status).as(log).isZero();
            assertThat(log).containsSubsequence("stopping…", "stopped");
            // Closed, not abandoned: SQLite folds its write-ahead log back into the database at the last close.
            assertThat(dir.directory().resolve("turnpike.db-wal")).doesNotExist();
        }
        openAndClose();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {PEER_PORT, RELAY_PORT, SOCKS_PORT, API_PORT})
    void aPortInUseIsNamedInOneLineAndNothingIsLeftRunning(String setting) throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String port : new String[] {PEER_PORT, RELAY_PORT, SOCKS_PORT, API_PORT}) {
            ports.put(port, FreePort.take());
        }
        // It sells bandwidth and buys it, so that it opens every port it can: the peer port, the relay, the local
        // SOCKS entry and the API, in that order.
        nodes.configure(dir, TestNodes.provider(ports.get(PEER_PORT), ports.get(RELAY_PORT), "1", "1000000000", 125_000)
                + TestNodes.client(TestNodes.newKey().address(), FreePort.take(), FreePort.take(),
                ports.get(PEER_PORT), ports.get(SOCKS_PORT), "1s")
                + "\napi { bind = \"127.0.0.1\", port = " + ports.get(API_PORT) + " }");
        Turnpike.Result result;
        try (ServerSocket taken = new ServerSocket(ports.get(setting), 50, InetAddress.getLoopbackAddress())) {
            result = runNode();
        }

        assertRefusedInOneLine(result, ErrorCode.PORT_IN_USE);
        assertThat(result.err()).contains("127.0.0.1:" + ports.get(setting) + " (" + setting + ") is in use by "
                + "another program", "set " + setting + " to a free port");
        for (int port : ports.values()) {
            new ServerSocket(port, 50, InetAddress.getLoopbackAddress()).close();
        }
        openAndClose();
    }

    /** The peer and API ports on loopback, so that the node takes no port another test or node may hold. */
    private static String ports(int peer, int api) {
        return "peer { bind = \"127.0.0.1\", port = " + peer + " }\napi { bind = \"127.0.0.1\", port = " + api + " }";
    }

    /** `turnpike node` in this JVM, for a start that is refused and returns. */
    private Turnpike.Result runNode() {
        return Turnpike.withoutTerminal().run("node", "--datadir", dir.directory().toString(), "--passphrase-file",
                dir.passphraseFile().toString());
    }

    /** Passes only if no node holds the data directory any more. */
    private void openAndClose() {
        dir.home().open(Turnpike.withoutTerminal().environment(), () -> DataDirs.PASSPHRASE).close();
    }

    private static void assertRefusedInOneLine(Turnpike.Result result, ErrorCode code) {
        assertThat(result.exitCode()).as(result.all()).isEqualTo(code.exitStatus());
        assertThat(result.err()).startsWith("error [" + code.code() + "]: ");
        assertThat(result.err().strip().lines()).as("one line, no stack trace").hasSize(1);
        assertThat(result.out()).doesNotContain("running");
    }
}
