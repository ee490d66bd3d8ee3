package io.turnpike.node.api;

import io.turnpike.core.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.TurnpikeException;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokenTest {

    @TempDir
    Path dir;

    @Test
    void onlyTheExactTokenIsAdmitted() throws IOException {
        ApiToken token = ApiServerTest.token(dir, ApiServerTest.TOKEN);

        assertThat(token.admits("Bearer " + ApiServerTest.TOKEN)).isTrue();
        assertThat(token.admits("BEARER " + ApiServerTest.TOKEN)).isTrue();
        assertThat(token.admits(null)).isFalse();
        assertThat(token.admits("Bearer")).isFalse();
        assertThat(token.admits("Bearer " + ApiServerTest.TOKEN.toUpperCase())).isFalse();
        assertThat(token.admits("Bearer " + ApiServerTest.TOKEN.substring(0, 63))).isFalse();
        assertThat(token.admits("Basic " + ApiServerTest.TOKEN)).isFalse();
    }

    @Test
    void aTokenThatCouldBeGuessedIsRefused() {
        assertThatThrownBy(() -> ApiServerTest.token(dir, "secret"))
                .isInstanceOfSatisfying(TurnpikeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("openssl rand -hex 32");
        assertThatThrownBy(() -> ApiServerTest.token(dir, "a".repeat(40) + " " + "b".repeat(40)))
                .isInstanceOf(TurnpikeException.class);
    }

    @Test
    void aMissingTokenFileSaysHowToMakeOne() {
        assertThatThrownBy(() -> ApiToken.read(dir.resolve("api.token")))
                .isInstanceOfSatisfying(TurnpikeException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.DATADIR_IO))
                .hasMessageContaining("turnpike init");
    }

    @Test
    void itIsNeverPrinted() throws IOException {
        ApiToken token = ApiServerTest.token(dir, ApiServerTest.TOKEN);

        assertThat(token.toString()).doesNotContain(ApiServerTest.TOKEN).contains(dir.resolve("api.token").toString());
    }
}
