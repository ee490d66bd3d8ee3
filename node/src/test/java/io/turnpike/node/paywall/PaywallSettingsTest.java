package io.turnpike.node.paywall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.config.ConfigLoader;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.paywall.PaywallConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code turnpike.provider.services.paywall} and {@code turnpike.client.paywall} as the node reads them. */
class PaywallSettingsTest {

    private static final String USDC = "tokens = [{symbol = \"USDC\", address = "
            + "\"0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48\", decimals = 6}]\n";

    @TempDir
    Path dir;

    @Test
    void aPaywallIsReadRouteByRouteInTheNodesTokenAndTheClientsCapsInItsSmallestUnit() throws IOException {
        NodeConfig config = load(USDC + "asset = \"USDC\"\nprovider { enabled = true, services.paywall { enabled = true,"
                + " token-name = \"USD Coin\", facilitator.enabled = true, limits.backend-timeout = 5s, routes = ["
                + "{prefix = \"/api/\", backend = \"http://127.0.0.1:8080/v1\", price = \"1000\"},"
                + "{prefix = \"/rpc\", backend = \"http://127.0.0.1:8648\", price = \"50\", forward-authorization = true},"
                + "{prefix = \"/files/\", backend = \"http://127.0.0.1:8081\", price = \"10\", price-per-byte = \"3\","
                + " max-response-bytes = 64KiB}"
                + "] } }\nclient.paywall { max-per-request = \"2000\", max-per-day = \"1000000\" }");

        NodeConfig.Paywall paywall = config.provider().paywall().orElseThrow();
        assertThat(paywall.listen()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 8402));
        assertThat(paywall.tokenName()).isEqualTo("USD Coin");
        assertThat(paywall.tokenVersion()).isEqualTo("2");
        assertThat(paywall.routes()).containsExactly(
                new PaywallConfig.Route("/api/", URI.create("http://127.0.0.1:8080/v1"), Amount.of(1000), "/api/",
                        "application/json", false),
                new PaywallConfig.Route("/rpc", URI.create("http://127.0.0.1:8648"), Amount.of(50), "/rpc",
                        "application/json", true),
                new PaywallConfig.Route("/files/", URI.create("http://127.0.0.1:8081"), Amount.of(10), Amount.of(3),
                        64 * 1024, "/files/", "application/json", false));
        assertThat(paywall.routes().getLast().maximum()).isEqualTo(Amount.of(10 + 3 * 64 * 1024));
        assertThat(paywall.channelScheme()).isTrue();
        assertThat(paywall.limits().backendTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(paywall.facilitator()).contains(new NodeConfig.Endpoint("127.0.0.1", 8403));
        assertThat(config.client().paywall())
                .isEqualTo(new NodeConfig.PaywallCaps(Amount.of(2000), Amount.of(1_000_000)));
        assertThat(load("").provider().paywall()).as("off by default").isEmpty();
        assertThat(load("").client().paywall()).as("pays nothing by default")
                .isEqualTo(new NodeConfig.PaywallCaps(Amount.ZERO, Amount.ZERO));
    }

    @Test
    void aPaywallInEtherOrWithoutRoutesOrWithAFreeRouteIsRefusedNamingTheSetting() {
        String route = "routes = [{prefix = \"/api/\", backend = \"http://127.0.0.1:8080\", price = \"1000\"}]";
        assertRefused("provider { enabled = true, services.paywall { enabled = true, token-name = \"USD Coin\", "
                + route + " } }", "turnpike.provider.services.paywall.enabled", "EIP-3009");
        String usdc = USDC + "asset = \"USDC\"\nprovider { enabled = true, services.paywall { enabled = true, "
                + "token-name = \"USD Coin\", ";
        assertRefused(usdc + "} }", "turnpike.provider.services.paywall.routes", "at least one");
        assertRefused(usdc + route.replace("\"1000\"", "\"0\"") + " } }",
                "turnpike.provider.services.paywall.routes[0].price", "above 0");
        assertRefused(usdc + route.replace("/api/", "api") + " } }",
                "turnpike.provider.services.paywall.routes[0].prefix", "'/'");
        String perByte = route.replace("price = \"1000\"", "price = \"1000\", price-per-byte = \"2\"");
        assertRefused(usdc + perByte.replace("\"2\"", "\"-2\"") + " } }",
                "turnpike.provider.services.paywall.routes[0].price-per-byte", "whole number");
        assertRefused(usdc + perByte.replace("}]", ", max-response-bytes = -1}]") + " } }",
                "turnpike.provider.services.paywall.routes[0].max-response-bytes", "1 byte");
        assertRefused(usdc + perByte.replace("}]", ", max-response-bytes = 11MiB}]") + " } }",
                "turnpike.provider.services.paywall.routes[0].max-response-bytes", "limits.max-response-bytes");
        assertRefused(USDC + "client.paywall.max-per-day = \"1.5\"", "turnpike.client.paywall.max-per-day",
                "whole number");
    }

    private void assertRefused(String settings, String setting, String why) {
        assertThatThrownBy(() -> load(settings)).isInstanceOf(TurnpikeException.class)
                .hasMessageContaining(setting).hasMessageContaining(why)
                .extracting(e -> ((TurnpikeException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID);
    }

    private NodeConfig load(String settings) throws IOException {
        Path file = Files.writeString(dir.resolve("turnpike.conf"), "turnpike {\n" + settings + "\n}\n");
        return ConfigLoader.load(file, Map.of(), Map.of());
    }
}
