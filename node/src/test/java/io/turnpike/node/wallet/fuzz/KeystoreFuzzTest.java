package io.turnpike.node.wallet.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.wallet.Keystore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.WalletFile;
import tools.jackson.databind.json.JsonMapper;

/**
 * A keystore file someone hands the operator ({@code turnpike wallet import}) or plants in the data directory: reading
 * it either gives a keystore, whose recorded address (if any) reads too, or refuses with {@code keystore_unreadable},
 * never another exception, before any passphrase is tried. A keystore that reads costs at most 1 GiB and seconds to
 * try a passphrase on, as web3j, which decrypts it, reads its cost parameters. Run as a campaign with
 * {@code ./turnpike fuzz KeystoreFuzzTest}.
 */
class KeystoreFuzzTest {

    private static final JsonMapper WEB3J = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "30s")
    void readsOrRefusesAsUnreadable(byte[] json) throws IOException {
        Path file = dir.resolve("keystore.json");
        Files.write(file, json);
        try {
            Keystore.read(file).address();
            assertTryingAPassphraseIsBounded(WEB3J.readValue(json, WalletFile.class).getCrypto().getKdfparams());
        } catch (TurnpikeException refused) {
            assertThat(refused.code()).as(refused.toString()).isEqualTo(ErrorCode.KEYSTORE_UNREADABLE);
        }
    }

    private static void assertTryingAPassphraseIsBounded(Object kdf) {
        switch (kdf) {
            case WalletFile.ScryptKdfParams scrypt -> {
                assertThat(128L * scrypt.getN() * scrypt.getR()).as("scrypt memory").isLessThanOrEqualTo(1L << 30);
                assertThat(scrypt.getP()).isBetween(1, 16);
                assertThat(scrypt.getDklen()).isEqualTo(32);
            }
            case WalletFile.Aes128CtrKdfParams pbkdf2 -> {
                assertThat(pbkdf2.getC()).isBetween(1, 1 << 22);
                assertThat(pbkdf2.getDklen()).isEqualTo(32);
            }
            default -> throw new AssertionError("a keystore read with kdf " + kdf);
        }
    }
}
