package io.turnpike.tower;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.wallet.Keystore;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.node.ObjectNode;

/** {@code turnpike tower} opens its key with the node's keystore loader: the same checks, the same codes. */
class TowerCommandTest {

    private static final String PASSPHRASE = "correct horse battery staple";

    @TempDir
    Path dir;

    @Test
    void aKeystoreWhoseScryptCostCouldExhaustMemoryIsRefusedBeforeDecryptingAsTheNodeRefusesIt() throws IOException {
        Path keystore = keystore(1 << 21);

        String error = refusal(keystore, PASSPHRASE, ErrorCode.KEYSTORE_UNREADABLE);

        assertThat(error).contains("scrypt cost n");
        assertThatThrownBy(() -> Keystore.read(keystore)).isInstanceOfSatisfying(TurnpikeException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.KEYSTORE_UNREADABLE));
        assertThat(dir.resolve("tower.db")).doesNotExist();
    }

    @Test
    void aWrongPassphraseIsTheKeystoresCodeNotATraceback() throws IOException {
        refusal(keystore(1 << 12), "wrong " + PASSPHRASE, ErrorCode.WRONG_PASSPHRASE);

        assertThat(dir.resolve("tower.db")).doesNotExist();
    }

    @Test
    void theDatabaseIsOnlyTheTowersUsersInAFolderOnlyItsUserEnters() throws IOException {
        Path file = dir.resolve("towers").resolve("tower.db");

        StoreConfig config = TowerCommand.storeConfig(file.toString());

        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (Store store = Store.open(config, new NodeIdentity(Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"),
                31337, Address.of("0x5FbDB2315678afecb367f032d93F642f64180aa3")))) {
            assertThat(store).as("SQLite takes the empty file as a new database").isNotNull();
        }
        assertThat(Files.getPosixFilePermissions(file)).as("after SQLite wrote it")
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    /** A light keystore whose scrypt cost is then set to {@code n}, as a planted file would be. */
    private Path keystore(int n) throws IOException {
        String json = Keystore.encrypt(PrivateKey.random(new SecureRandom()), PASSPHRASE, Keystore.Kdf.LIGHT).json();
        ObjectNode tree = (ObjectNode) JsonObjectReader.MAPPER.readTree(json);
        ((ObjectNode) tree.get("crypto").get("kdfparams")).put("n", n);
        return Files.writeString(dir.resolve("tower.json"), JsonObjectReader.MAPPER.writeValueAsString(tree));
    }

    /** Runs the command with {@code keystore}, checks that it was refused with {@code code}, and answers the line. */
    private String refusal(Path keystore, String passphrase, ErrorCode code) throws IOException {
        Path passphraseFile = Files.writeString(dir.resolve("tower.pass"), passphrase + "\n");
        StringWriter err = new StringWriter();
        CommandLine command = TowerCommand.commandLine().setErr(new PrintWriter(err)).setOut(new PrintWriter(
                new StringWriter()));

        int status = command.execute("--key-file", keystore.toString(), "--passphrase-file", passphraseFile.toString(),
                "--rpc", "http://127.0.0.1:9", "--chain-id", "31337",
                "--contract", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--db", dir.resolve("tower.db").toString());

        assertThat(status).isEqualTo(code.exitStatus());
        assertThat(err.toString()).startsWith("error [" + code.code() + "]: ");
        return err.toString();
    }
}
