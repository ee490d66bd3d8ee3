package io.turnpike.node.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeystoreTest {

    @TempDir
    Path dir;

    /**
     * A keystore is exported byte for byte, and wallets differ on which of two same-named fields counts: one that
     * names {@code kdf} twice would be read here with the last and elsewhere with the first (a fuzz campaign found
     * such a file taken as valid).
     */
    @Test
    void aKeystoreNamingAFieldTwiceIsRefusedAsUnreadable() throws IOException {
        String json = Keystore.encrypt(PrivateKey.random(new SecureRandom()), "passphrase", Keystore.Kdf.LIGHT).json();
        assertThat(json).contains("\"kdf\":\"scrypt\"");
        Path file = dir.resolve("keystore.json");
        Files.writeString(file, json.replace("\"kdf\":\"scrypt\"", "\"kdf\":\"pbkdf2\",\"kdf\":\"scrypt\""));

        assertThatThrownBy(() -> Keystore.read(file)).isInstanceOfSatisfying(TurnpikeException.class, refused -> {
            assertThat(refused.code()).isEqualTo(ErrorCode.KEYSTORE_UNREADABLE);
            assertThat(refused.getMessage()).contains("names a field twice");
        });
    }
}
