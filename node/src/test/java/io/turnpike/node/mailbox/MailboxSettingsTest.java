package io.turnpike.node.mailbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.mailbox.MailboxTerms;
import io.turnpike.node.config.ConfigLoader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.fixtures.DataDirs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** turnpike.provider.services.mailbox as the operator writes it: read, and refused when it cannot work. */
class MailboxSettingsTest {

    private static final String MARKET = "chain.market = \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n";

    @TempDir
    Path dir;

    @Test
    void theMailboxIsOffByDefaultAndReadWithItsPlansTermsAndLimits() {
        assertThat(load("").provider().mailbox()).isEmpty();

        NodeConfig.Mailbox mailbox = load(MARKET + "provider.services.mailbox { enabled = true, port = 9649, "
                + "grace = 3d, price-per-byte = \"2000\", max-envelope-bytes = 32KiB\n"
                + "  plans = [{plan-id = 1, retention = 90d, quota = 64MiB}, {plan-id = 2, retention = 7d, quota = 1MiB}] }")
                .provider().mailbox().orElseThrow();

        assertThat(mailbox.listen()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 9649));
        assertThat(mailbox.settings().plans()).isEqualTo(Map.of(1L, MailboxTerms.days(90, 64L << 20),
                2L, MailboxTerms.days(7, 1L << 20)));
        assertThat(mailbox.settings().withoutPlan()).isEqualTo(MailboxTerms.days(30, 16L << 20));
        assertThat(mailbox.settings().free()).isFalse();
        assertThat(mailbox.settings().grace()).isEqualTo(Duration.ofDays(3));
        assertThat(mailbox.settings().maxEnvelopeBytes()).isEqualTo(32 * 1024);
        assertThat(mailbox.pricePerByte()).isEqualTo(Amount.of(2_000));
        assertThat(mailbox.sweepInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aMailboxThatServesNoOneOrPlansWithoutAMarketAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> load("provider.services.mailbox.enabled = true"))
                .isInstanceOfSatisfying(TurnpikeException.class, e -> assertThat(e.code())
                        .isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("turnpike.provider.services.mailbox.enabled").hasMessageContaining("serves no one");
        assertThatThrownBy(() -> load("provider.services.mailbox { enabled = true, plans = [{plan-id = 1, "
                + "retention = 90d, quota = 64MiB}] }"))
                .hasMessageContaining("turnpike.provider.services.mailbox.plans")
                .hasMessageContaining("turnpike.chain.market");
        assertThatThrownBy(() -> load(MARKET + "provider.services.mailbox { enabled = true, plans = [{plan-id = 1, "
                + "retention = 90d, quota = 64MiB}, {plan-id = 1, retention = 9d, quota = 1MiB}] }"))
                .hasMessageContaining("plans[1].plan-id");
        assertThatThrownBy(() -> load("provider.services.mailbox { enabled = true, free = true, grace = -1d }"))
                .hasMessageContaining("grace");
        assertThat(load("provider.services.mailbox { enabled = true, free = true }").provider().mailbox()
                .orElseThrow().settings().free()).isTrue();
    }

    private NodeConfig load(String settings) {
        Path conf = dir.resolve("turnpike.conf");
        DataDirs.write(conf, "turnpike.provider.enabled = true\nturnpike {\n" + settings + "\n}\n");
        return ConfigLoader.load(conf, Map.of(), Map.of());
    }
}
