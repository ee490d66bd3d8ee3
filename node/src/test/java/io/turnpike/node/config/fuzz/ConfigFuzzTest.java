package io.turnpike.node.config.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's {@code turnpike.conf}, whatever it holds: loading it either gives a configuration or refuses with
 * {@code config_invalid} naming what is wrong, never another exception. Run as a campaign with
 * {@code ./turnpike fuzz ConfigFuzzTest}.
 */
class ConfigFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "30s")
    void loadsOrRefusesAsInvalid(byte[] conf) throws IOException {
        Path file = dir.resolve("turnpike.conf");
        Files.write(file, conf);
        try {
            ConfigLoader.load(file, Map.of(), Map.of());
        } catch (TurnpikeException refused) {
            assertThat(refused.code()).as(refused.toString()).isEqualTo(ErrorCode.CONFIG_INVALID);
        }
    }
}
