package io.turnpike.node.tower;

import io.turnpike.core.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Turnpike;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code turnpike node --restore-from-tower} refuses, before the node serves, when it cannot get the proofs back:
 * a node that started without them would settle its channels with the wrong balances. (A restore that works is
 * proven with real towers in the tower module's GuardedNodeTest.)
 */
class RestoreFromTowerCommandTest {

    private static final String TOWER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    @TempDir
    Path dir;

    private DataDirs.Initialised node;
    private String onChain;

    @BeforeEach
    void nodeOnAnvil() {
        Anvil anvil = SharedAnvil.get();
        ChannelsContract contract = ChannelsContract.deploy(anvil.connect().account(anvil.devKeys().get(0)), 60, 3600);
        node = DataDirs.init(dir, "node");
        onChain = DataDirs.onChain(anvil, 1) + "\nchain.contract = \"" + contract.address() + "\"\n";
    }

    @Test
    void withoutTowersTheRestoreIsRefused() {
        DataDirs.configure(node.home(), onChain);

        Turnpike.Result result = restore();

        assertThat(result.exitCode()).as(result.all()).isEqualTo(ErrorCode.SETTING_MISSING.exitStatus());
        assertThat(result.err()).contains("error [setting_missing]", "turnpike.towers");
    }

    @Test
    void whenNoTowerAnswersTheNodeDoesNotStart() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        DataDirs.configure(node.home(), onChain + "towers = [{url = \"http://127.0.0.1:" + closed + "\", address = \""
                + TOWER + "\", reward = \"1\"}]");

        Turnpike.Result result = restore();

        assertThat(result.exitCode()).as(result.all()).isEqualTo(ErrorCode.TOWER_RESTORE_FAILED.exitStatus());
        assertThat(result.err()).contains("error [tower_restore_failed]", "http://127.0.0.1:" + closed);
        assertThat(result.out()).doesNotContain("running");
    }

    private Turnpike.Result restore() {
        return Turnpike.withoutTerminal().run("node", "--datadir", node.directory().toString(), "--passphrase-file",
                node.passphraseFile().toString(), "--restore-from-tower");
    }
}
