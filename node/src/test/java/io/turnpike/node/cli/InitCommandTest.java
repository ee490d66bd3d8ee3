package io.turnpike.node.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.node.NodeHome;
import io.turnpike.node.PrivateFiles;
import io.turnpike.node.config.ConfigLoader;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.fixtures.ScriptedTerminal;
import io.turnpike.node.fixtures.Turnpike;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {

    private static final Pattern PRINTED_ADDRESS = Pattern.compile("address\\s+(0x[0-9a-fA-F]{40})");

    @TempDir
    Path dir;

    @Test
    void initCreatesOwnerOnlyFilesAndAKeystoreThatUnlocksToThePrintedAddress() throws IOException {
        Path datadir = dir.resolve("node");
        Turnpike.Result result = Turnpike.withoutTerminal().variable("TURNPIKE_PASSPHRASE", "s3cret")
                .run("init", "--datadir", datadir.toString(), "--kdf", "light");

        assertThat(result.exitCode()).as(result.all()).isZero();
        NodeHome home = NodeHome.at(datadir);
        assertThat(Files.getPosixFilePermissions(datadir)).isEqualTo(PrivateFiles.OWNER_ONLY_DIRECTORY);
        assertThat(Files.getPosixFilePermissions(home.keystoreDirectory())).isEqualTo(PrivateFiles.OWNER_ONLY_DIRECTORY);
        List<Path> keystores = list(home.keystoreDirectory());
        assertThat(keystores).hasSize(1);
        for (Path file : List.of(keystores.get(0), home.configFile(), home.apiTokenFile())) {
            assertThat(Files.getPosixFilePermissions(file)).as(file.toString()).isEqualTo(PrivateFiles.OWNER_ONLY_FILE);
        }
        Address printed = printedAddress(result);
        assertThat(Keystore.read(keystores.get(0)).unlock("s3cret").address()).isEqualTo(printed);
        assertThat(keystores.get(0).getFileName().toString())
                .matches("UTC--\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\d\\.\\d{9}Z--" + printed.toLowerHex().substring(2));
        assertThat(Files.readString(home.apiTokenFile())).matches("[0-9a-f]{64}\n");
        assertThat(Files.readString(home.configFile())).isEqualTo(ConfigLoader.operatorFileTemplate());
        assertThat(result.out()).contains(keystores.get(0).toString(), home.configFile().toString(),
                home.apiTokenFile().toString());
        assertThat(result.all()).doesNotContain("s3cret");
    }

    @Test
    void twoDataDirectoriesGetDifferentKeysAndTokens() throws IOException {
        DataDirs.Initialised a = DataDirs.init(dir, "a");
        DataDirs.Initialised b = DataDirs.init(dir, "b");

        assertThat(a.address()).isNotEqualTo(b.address());
        assertThat(Files.readString(a.home().apiTokenFile())).isNotEqualTo(Files.readString(b.home().apiTokenFile()));
    }

    @Test
    void aSecondInitIsRefusedAndChangesNothing() {
        DataDirs.Initialised node = DataDirs.init(dir, "node");
        Map<String, String> before = DataDirs.snapshot(node.directory());

        Turnpike.Result again = Turnpike.withoutTerminal().run("init", "--datadir", node.directory().toString(),
                "--kdf", "light", "--passphrase-file", node.passphraseFile().toString());

        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("datadir_already_initialised", "already a data directory");
        assertThat(DataDirs.snapshot(node.directory())).isEqualTo(before);
    }

    @Test
    void onATerminalThePassphraseIsAskedTwiceAndAMismatchWritesNothing() {
        ScriptedTerminal typo = new ScriptedTerminal("first try", "frist try");
        Path datadir = dir.resolve("node");

        Turnpike.Result refused = Turnpike.withoutTerminal().terminal(typo)
                .run("init", "--datadir", datadir.toString(), "--kdf", "light");

        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("passphrase_unavailable", "differ");
        assertThat(typo.prompts()).hasSize(2);
        assertThat(datadir).doesNotExist();

        ScriptedTerminal careful = new ScriptedTerminal("same twice", "same twice");
        Turnpike.Result created = Turnpike.withoutTerminal().terminal(careful)
                .run("init", "--datadir", datadir.toString(), "--kdf", "light");
        assertThat(created.exitCode()).as(created.all()).isZero();
        assertThat(NodeHome.at(datadir).keystore().unlock("same twice").address()).isEqualTo(printedAddress(created));
    }

    @Test
    void withoutATerminalVariableOrFileInitSaysWhereAPassphraseCanComeFromAndWritesNothing() {
        Path datadir = dir.resolve("node");

        Turnpike.Result result = Turnpike.withoutTerminal().run("init", "--datadir", datadir.toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("passphrase_unavailable", "TURNPIKE_PASSPHRASE", "--passphrase-file");
        assertThat(datadir).doesNotExist();
    }

    @Test
    void anEmptyPassphraseIsRefusedForANewKeystore() {
        Path datadir = dir.resolve("node");

        Turnpike.Result result = Turnpike.withoutTerminal()
                .run("init", "--datadir", datadir.toString(), "--passphrase-file",
                        DataDirs.passphraseFile(dir, "").toString());

        assertThat(result.err()).contains("passphrase_unavailable", "empty");
        assertThat(datadir).doesNotExist();
    }

    static Address printedAddress(Turnpike.Result result) {
        Matcher matcher = PRINTED_ADDRESS.matcher(result.out());
        assertThat(matcher.find()).as(result.out()).isTrue();
        return Address.of(matcher.group(1));
    }

    private static List<Path> list(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.toList();
        }
    }
}
