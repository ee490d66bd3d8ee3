package io.turnpike.node.cli;

import io.turnpike.core.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Funds;
import io.turnpike.node.fixtures.Turnpike;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input an operator gets wrong: each is refused with its stable code and a sentence that says what to do, exits
 * non-zero, and leaves the data directory exactly as it was.
 */
class RefusalsTest {

    private final Anvil anvil = SharedAnvil.get();
    private DataDirs.Initialised node;
    private Address recipient;

    @TempDir
    Path dir;

    @BeforeEach
    void nodeOnAnvil() {
        node = DataDirs.init(dir, "node");
        recipient = PrivateKey.random(new SecureRandom()).address();
        try (Funds funds = new Funds(anvil)) {
            funds.sendEther(node.address(), "1");
        }
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1));
    }

    @Test
    void aWrongPassphraseSendsNothing() {
        Path wrong = DataDirs.passphraseFile(dir, "not the passphrase");

        Turnpike.Result result = refusedAndUnchanged(ErrorCode.WRONG_PASSPHRASE,
                "wallet", "send", recipient.toString(), "0.1", "--yes", "--passphrase-file", wrong.toString());

        assertThat(result.err()).contains("does not unlock");
        try (Funds funds = new Funds(anvil)) {
            assertThat(funds.balance(recipient, Asset.ETH)).isEqualTo(Amount.ZERO);
        }
    }

    @Test
    void aCorruptKeystoreIsNamedAndNeitherReadNorReplaced() throws IOException {
        Path keystore = node.home().keystoreFile();
        String json = Files.readString(keystore);
        DataDirs.write(keystore, json.substring(0, json.length() / 2));

        Turnpike.Result address = refusedAndUnchanged(ErrorCode.KEYSTORE_UNREADABLE, "wallet", "address");
        refusedAndUnchanged(ErrorCode.KEYSTORE_UNREADABLE, "wallet", "send", recipient.toString(), "0.1", "--yes",
                "--passphrase-file", node.passphraseFile().toString());

        assertThat(address.err()).contains(keystore.toString(), "not JSON", "backup");
    }

    @Test
    void aKeystoreWithAlteredCiphertextDoesNotUnlock() throws IOException {
        Path keystore = node.home().keystoreFile();
        String json = Files.readString(keystore);
        int at = json.indexOf("\"ciphertext\":\"") + 14;
        char flipped = json.charAt(at) == '0' ? '1' : '0';
        DataDirs.write(keystore, json.substring(0, at) + flipped + json.substring(at + 1));

        refusedAndUnchanged(ErrorCode.WRONG_PASSPHRASE, "wallet", "send", recipient.toString(), "0.1", "--yes",
                "--passphrase-file", node.passphraseFile().toString());
    }

    @Test
    void anRpcOnAnotherChainIsRefused() {
        DataDirs.configure(node.home(), "chain { id = 1, rpc-urls = [\"" + anvil.rpcUrl() + "\"] }");

        Turnpike.Result result = refusedAndUnchanged(ErrorCode.WRONG_CHAIN_ID, "wallet", "balance");

        assertThat(result.err()).contains("serves chain " + anvil.chainId(), "turnpike.chain.id is 1");
    }

    @Test
    void anUnreachableRpcIsReportedWithEveryUrlTried() throws IOException {
        String closed = "http://127.0.0.1:" + closedPort();
        DataDirs.configure(node.home(), "chain { id = 31337, rpc-urls = [\"" + closed + "\"] }");

        Turnpike.Result result = refusedAndUnchanged(ErrorCode.CHAIN_UNREACHABLE, "wallet", "balance");

        assertThat(result.err()).contains(closed, "turnpike.chain.rpc-urls");
    }

    @Test
    void theNextRpcIsTriedWhenTheFirstDoesNotAnswer() throws IOException {
        DataDirs.configure(node.home(), "chain { id = 31337, rpc-urls = [\"http://127.0.0.1:" + closedPort()
                + "\", \"" + anvil.rpcUrl() + "\"] }");

        Turnpike.Result result = Turnpike.withoutTerminal().run("wallet", "balance", "--datadir",
                node.directory().toString());

        assertThat(result.exitCode()).as(result.all()).isZero();
        assertThat(result.out()).contains("ETH  1");
    }

    @Test
    void aNodeWhoseContractAddressHoldsNoCodeIsRefusedBeforeItsDatabaseIsBound() {
        DataDirs.configure(node.home(), DataDirs.onChain(anvil, 1) + "\nchain.contract = \"" + recipient + "\"");

        Turnpike.Result result = refusedAndUnchanged(ErrorCode.NOT_TURNPIKE_CHANNELS, "node", "--passphrase-file",
                node.passphraseFile().toString());

        assertThat(result.err()).contains(recipient + " holds no contract", "nothing was bound");
    }

    @Test
    void aMalformedConfigNamesTheFileAndLine() {
        DataDirs.write(node.home().configFile(), "turnpike {\n  chain {\n    id = 31337\n    rpc-urls = [\n  }\n}\n");

        Turnpike.Result result = refusedAndUnchanged(ErrorCode.CONFIG_INVALID, "wallet", "balance");

        assertThat(result.err()).contains(node.home().configFile().toString() + ": 5", "Fix it");
    }

    @Test
    void aDirectoryThatWasNeverInitialisedIsNotCreated() {
        Path nowhere = dir.resolve("nowhere");

        Turnpike.Result result = Turnpike.withoutTerminal().run("wallet", "balance", "--datadir", nowhere.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("datadir_not_initialised", "turnpike init --datadir " + nowhere);
        assertThat(nowhere).doesNotExist();
    }

    /** Runs a command on the node's data directory and checks that it was refused with {@code code}, changing nothing. */
    private Turnpike.Result refusedAndUnchanged(ErrorCode code, String... args) {
        Map<String, String> before = DataDirs.snapshot(node.directory());
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--datadir", node.directory().toString()));

        Turnpike.Result result = Turnpike.withoutTerminal().run(command.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.all()).isEqualTo(code.exitStatus());
        assertThat(result.err()).startsWith("error [" + code.code() + "]: ");
        assertThat(result.err().strip().lines()).as("one line, no stack trace").hasSize(1);
        assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
        return result;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
