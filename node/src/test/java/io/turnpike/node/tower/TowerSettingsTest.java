package io.turnpike.node.tower;

import io.turnpike.core.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.ConfigLoader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.fixtures.DataDirs;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchtower settings: read exactly, checked at start, settable from the environment like any list. */
class TowerSettingsTest {

    private static final String TOWER = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    @TempDir
    Path dir;

    @Test
    void withoutTowersNothingIsUploadedAndTheRateHasItsDefaults() {
        NodeConfig.Watchtowers towers = ConfigLoader.load(dir.resolve("missing.conf"), Map.of(), Map.of()).watchtowers();

        assertThat(towers.towers()).isEmpty();
        assertThat(towers.uploadInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(towers.uploadsPerInterval()).isEqualTo(100);
    }

    @Test
    void aTowerIsItsUrlItsAddressAndAnExactRewardInTheSmallestUnit() {
        NodeConfig.Watchtowers towers = load("turnpike.towers = [{url = \"http://203.0.113.9:8650\", address = \""
                + TOWER + "\", reward = \"1000000000000000001\"}]\nturnpike.tower-upload-interval = 500ms\n",
                Map.of()).watchtowers();

        assertThat(towers.towers()).containsExactly(new NodeConfig.Tower(URI.create("http://203.0.113.9:8650"),
                Address.of(TOWER), Amount.of(new java.math.BigInteger("1000000000000000001"))));
        assertThat(towers.uploadInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void towersCanComeFromTheEnvironment() {
        NodeConfig.Watchtowers towers = load("", Map.of("TURNPIKE_TOWERS",
                "[{url = \"https://tower.example\", address = \"" + TOWER + "\", reward = \"7\"}]")).watchtowers();

        assertThat(towers.towers()).singleElement().extracting(NodeConfig.Tower::reward).isEqualTo(Amount.of(7));
    }

    @Test
    void aTowerThatCannotBeUsedStopsTheNodeBeforeItStarts() {
        for (String bad : new String[] {
                "turnpike.towers = [{url = \"ws://203.0.113.9:8650\", address = \"" + TOWER + "\", reward = \"1\"}]",
                "turnpike.towers = [{url = \"http://203.0.113.9:8650\", address = \"0x1234\", reward = \"1\"}]",
                "turnpike.towers = [{url = \"http://203.0.113.9:8650\", address = \"" + TOWER + "\", reward = \"0.5\"}]",
                "turnpike.tower-uploads-per-interval = 0"}) {
            assertThatThrownBy(() -> load(bad, Map.of())).as(bad).isInstanceOfSatisfying(TurnpikeException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        }
    }

    private NodeConfig load(String file, Map<String, String> environment) {
        Path conf = dir.resolve("turnpike.conf");
        DataDirs.write(conf, file);
        return ConfigLoader.load(conf, environment, Map.of());
    }
}
