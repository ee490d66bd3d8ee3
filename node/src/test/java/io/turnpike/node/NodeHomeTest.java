package io.turnpike.node;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Funds;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import io.turnpike.store.StoreException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening a node from its data directory: every check passes before the database is touched. */
class NodeHomeTest {

    private final Anvil anvil = SharedAnvil.get();
    private final Environment environment = Turnpike.withoutTerminal().environment();
    private Address contract;
    private DataDirs.Initialised node;

    @TempDir
    Path dir;

    @BeforeEach
    void nodeOnAnvil() {
        try (Chain chain = anvil.connect()) {
            contract = ChannelsContract.deploy(chain.account(anvil.devKeys().get(0)), 60, 3600).address();
        }
        node = DataDirs.init(dir, "node");
        DataDirs.configure(node.home(), onAnvil(contract));
    }

    @Test
    void openBindsTheDatabaseToTheKeyTheChainAndTheContract() {
        try (NodeContext opened = node.home().open(environment, () -> DataDirs.PASSPHRASE)) {
            assertThat(opened.key().address()).isEqualTo(node.address());
            assertThat(opened.chain().chainId()).isEqualTo(anvil.chainId());
        }
        assertThat(node.directory().resolve(StoreConfig.SQLITE_FILE)).exists();
        // The same key, chain and contract open it again.
        node.home().open(environment, () -> DataDirs.PASSPHRASE).close();
    }

    @Test
    void aDatabaseBoundToAnotherKeyIsRefusedAndNothingIsWritten() throws IOException {
        DataDirs.Initialised other = DataDirs.init(dir, "other");
        DataDirs.configure(other.home(), onAnvil(contract));
        other.home().open(environment, () -> DataDirs.PASSPHRASE).close();
        Files.copy(other.directory().resolve(StoreConfig.SQLITE_FILE), node.directory().resolve(StoreConfig.SQLITE_FILE));
        Map<String, String> before = DataDirs.snapshot(node.directory());

        assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                .isInstanceOfSatisfying(StoreException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.IDENTITY_MISMATCH);
                    assertThat(e.getMessage()).contains("belongs to node " + other.address(),
                            "this node is node " + node.address(), "Nothing was changed");
                });
        assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
    }

    @Test
    void aDatabaseBoundToAnotherChainIsRefusedAndNothingIsWritten() {
        try (Store elsewhere = Store.open(StoreConfig.sqlite(node.directory()), new NodeIdentity(node.address(), 1,
                contract))) {
            assertThat(elsewhere).isNotNull();
        }
        Map<String, String> before = DataDirs.snapshot(node.directory());

        assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("on chain 1 with contract")
                .hasMessageContaining("on chain " + anvil.chainId());
        assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
    }

    @Test
    void aNodeThatCannotStartLeavesNoDatabaseBehind() throws IOException {
        Map<String, String> before = DataDirs.snapshot(node.directory());

        assertThatThrownBy(() -> node.home().open(environment, () -> "wrong"))
                .hasMessageContaining("does not unlock");
        DataDirs.configure(node.home(), "chain { id = 1, rpc-urls = [\"" + anvil.rpcUrl() + "\"], contract = \""
                + contract + "\" }");
        assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                .isInstanceOfSatisfying(TurnpikeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.WRONG_CHAIN_ID));
        DataDirs.configure(node.home(), "chain { rpc-urls = [\"http://127.0.0.1:" + closedPort() + "\"], contract = \""
                + contract + "\" }");
        assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                .isInstanceOfSatisfying(TurnpikeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CHAIN_UNREACHABLE));
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));
        assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                .isInstanceOfSatisfying(TurnpikeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.SETTING_MISSING))
                .hasMessageContaining("turnpike.chain.contract");

        assertThat(node.directory().resolve(StoreConfig.SQLITE_FILE)).doesNotExist();
        assertThat(DataDirs.snapshot(node.directory()).keySet()).isEqualTo(before.keySet());
    }

    @Test
    void anAddressWithoutCodeIsRefusedAndNothingIsBoundToIt() {
        refusedAsNotTurnpikeChannels(PrivateKey.random(new SecureRandom()).address(), "holds no contract");
    }

    @Test
    void aContractOtherThanTurnpikeChannelsIsRefusedAndNothingIsBoundToIt() {
        Address token;
        try (Funds funds = new Funds(anvil)) {
            token = funds.deployToken("TST").token();
        }
        refusedAsNotTurnpikeChannels(token, "holds a contract that is not TurnpikeChannels");
    }

    @Test
    void aDataDirectoryInUseIsRefusedToASecondNodeUntilTheFirstStops() {
        try (NodeContext running = node.home().open(environment, () -> DataDirs.PASSPHRASE)) {
            Map<String, String> before = DataDirs.snapshot(node.directory());

            assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                    .isInstanceOfSatisfying(TurnpikeException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_RUNNING))
                    .hasMessageContaining("another node (process " + ProcessHandle.current().pid() + ") is running on "
                            + node.directory())
                    .hasMessageContaining("Stop it first");
            assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
            assertThat(running.store().channels().list()).as("the first node's database still serves it").isEmpty();
        }
        node.home().open(environment, () -> DataDirs.PASSPHRASE).close();
    }

    /** {@code address} as the contract is refused before the database exists, and the real one opens afterwards. */
    private void refusedAsNotTurnpikeChannels(Address address, String why) {
        DataDirs.configure(node.home(), onAnvil(address));
        Map<String, String> before = DataDirs.snapshot(node.directory());

        assertThatThrownBy(() -> node.home().open(environment, () -> DataDirs.PASSPHRASE))
                .isInstanceOfSatisfying(TurnpikeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_TURNPIKE_CHANNELS);
                    assertThat(e.code().code()).isEqualTo("not_turnpike_channels");
                })
                .hasMessageContaining("turnpike.chain.contract " + address + " " + why + " on chain "
                        + anvil.chainId())
                .hasMessageContaining("nothing was bound");
        assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
        assertThat(node.directory().resolve(StoreConfig.SQLITE_FILE)).doesNotExist();

        DataDirs.configure(node.home(), onAnvil(contract));
        node.home().open(environment, () -> DataDirs.PASSPHRASE).close();
    }

    private String onAnvil(Address channels) {
        return DataDirs.onChain(anvil, 1) + "\nchain.contract = \"" + channels + "\"";
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
