package io.turnpike.node.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.NodeHome;
import io.turnpike.node.PrivateFiles;
import io.turnpike.node.fixtures.Cast;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.Turnpike;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.WalletUtils;

/** Our keystores open in Foundry's cast and web3j, and theirs in Turnpike. */
class KeystoreInteropTest {

    private static final Pattern CAST_NEW = Pattern.compile("keystore file: (\\S+)\\s+Address:\\s+(0x[0-9a-fA-F]{40})");

    @TempDir
    Path dir;

    @Test
    void aKeystoreMadeByCastImportsAndUnlocksToCastsAddress() throws Exception {
        Path castDir = Files.createDirectory(dir.resolve("cast"));
        Matcher made = CAST_NEW.matcher(Cast.run("wallet", "new", castDir.toString(), "--unsafe-password",
                DataDirs.PASSPHRASE));
        assertThat(made.find()).isTrue();
        Path castFile = Path.of(made.group(1));
        Address castAddress = Address.of(made.group(2));
        Path datadir = dir.resolve("node");

        Turnpike.Result init = turnpike().run("init", "--datadir", datadir.toString(), "--import",
                castFile.toString(), "--passphrase-file", passphraseFile().toString());

        assertThat(init.exitCode()).as(init.all()).isZero();
        assertThat(init.out()).contains(castAddress.toString());
        Turnpike.Result address = turnpike().run("wallet", "address", "--datadir", datadir.toString());
        assertThat(address.out().strip()).isEqualTo(castAddress.toString());
        assertThat(NodeHome.at(datadir).keystore().unlock(DataDirs.PASSPHRASE).address()).isEqualTo(castAddress);
        // The imported file still opens in cast: only the address geth records was added.
        assertThat(castAddress(NodeHome.at(datadir).keystore().json())).isEqualTo(castAddress);
    }

    @Test
    void aKeystoreMadeByTurnpikeOpensInCast() {
        DataDirs.Initialised node = DataDirs.init(dir, "node");

        assertThat(castAddress(node.home().keystore().json())).isEqualTo(node.address());
    }

    @Test
    void aKeystoreMadeByWeb3jImportsIntoADataDirectoryWhoseKeyWasMovedOut() throws Exception {
        String web3jName = WalletUtils.generateLightNewWalletFile(DataDirs.PASSPHRASE, dir.toFile());
        Path web3jFile = dir.resolve(web3jName);
        Address web3jAddress = Address.of(WalletUtils.loadCredentials(DataDirs.PASSPHRASE, web3jFile.toFile())
                .getAddress().toLowerCase());
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        Path oldKey = node.home().keystoreFile();
        Files.move(oldKey, dir.resolve("moved-out.json"));

        Turnpike.Result imported = turnpike().run("wallet", "import", web3jFile.toString(), "--datadir",
                node.directory().toString(), "--passphrase-file", node.passphraseFile().toString());

        assertThat(imported.exitCode()).as(imported.all()).isZero();
        assertThat(node.home().keystore().address()).isEqualTo(web3jAddress);
        assertThat(node.home().keystore().unlock(DataDirs.PASSPHRASE).address()).isEqualTo(web3jAddress);
        assertThat(Files.getPosixFilePermissions(node.home().keystoreFile())).isEqualTo(PrivateFiles.OWNER_ONLY_FILE);
    }

    @Test
    void aKeystoreMadeByTurnpikeLoadsInWeb3jWalletUtils() throws Exception {
        DataDirs.Initialised node = DataDirs.init(dir, "node");

        String loaded = WalletUtils.loadCredentials(DataDirs.PASSPHRASE, node.home().keystoreFile().toFile())
                .getAddress();

        assertThat(Address.of(loaded.toLowerCase())).isEqualTo(node.address());
    }

    @Test
    void importIsRefusedWhileTheDataDirectoryHoldsAKey() {
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        DataDirs.Initialised other = DataDirs.init(dir, "other");
        var before = DataDirs.snapshot(node.directory());

        Turnpike.Result refused = turnpike().run("wallet", "import", other.home().keystoreFile().toString(),
                "--datadir", node.directory().toString(), "--passphrase-file", node.passphraseFile().toString());

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("key_exists", node.address().toString());
        assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
    }

    @Test
    void exportWritesTheStoredKeystoreByteForByteAndNothingEverShowsTheKeyOrPassphrase() throws Exception {
        PrivateKey key = PrivateKey.random(new SecureRandom());
        String keyHex = HexFormat.of().formatHex(key.bytes());
        String keyFile = WalletUtils.generateWalletFile(DataDirs.PASSPHRASE, ECKeyPair.create(key.bytes()),
                dir.toFile(), false);
        Path datadir = dir.resolve("node");
        Path passphrase = passphraseFile();
        Path exported = dir.resolve("backup.json");

        List<Turnpike.Result> results = List.of(
                turnpike().run("init", "--datadir", datadir.toString(), "--import",
                        dir.resolve(keyFile).toString(), "--passphrase-file", passphrase.toString()),
                turnpike().run("wallet", "address", "--datadir", datadir.toString()),
                turnpike().run("wallet", "export", "--datadir", datadir.toString()),
                turnpike().run("wallet", "export", "--datadir", datadir.toString(), "--out", exported.toString()));

        Path stored = NodeHome.at(datadir).keystoreFile();
        assertThat(Files.readAllBytes(exported)).isEqualTo(Files.readAllBytes(stored));
        assertThat(Files.getPosixFilePermissions(exported)).isEqualTo(PrivateFiles.OWNER_ONLY_FILE);
        assertThat(results.get(2).out().strip()).isEqualTo(Files.readString(stored));
        for (Turnpike.Result result : results) {
            assertThat(result.exitCode()).as(result.all()).isZero();
            assertThat(result.all().toLowerCase()).doesNotContain(keyHex, DataDirs.PASSPHRASE);
        }
        Turnpike.Result again = turnpike().run("wallet", "export", "--datadir", datadir.toString(), "--out",
                exported.toString());
        assertThat(again.err()).contains("bad_argument", "exists");
        assertThat(Keystore.read(exported).unlock(DataDirs.PASSPHRASE)).isEqualTo(key);
    }

    private Path passphraseFile() {
        return DataDirs.passphraseFile(dir, DataDirs.PASSPHRASE);
    }

    private static Turnpike turnpike() {
        return Turnpike.withoutTerminal();
    }

    /** What cast reads as the address of a keystore it decrypts with the passphrase. */
    private Address castAddress(String keystoreJson) {
        Path copy = dir.resolve("for-cast-" + System.nanoTime() + ".json");
        DataDirs.write(copy, keystoreJson);
        return Address.of(Cast.run("wallet", "address", "--keystore", copy.toString(), "--password",
                DataDirs.PASSPHRASE).strip());
    }
}
