package io.turnpike.node.config;

import io.turnpike.core.ErrorCode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.rpc.Capacity;
import io.turnpike.rpc.FrontSettings;
import io.turnpike.rpc.MethodCost;
import io.turnpike.rpc.PriceRule;
import io.turnpike.rpc.UpstreamNode;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    private static final String TOKEN = "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48";

    @TempDir
    Path dir;

    private NodeConfig load(String file, Map<String, String> environment, Map<String, String> properties) {
        Path conf = dir.resolve("turnpike.conf");
        DataDirs.write(conf, file);
        return ConfigLoader.load(conf, environment, properties);
    }

    @Test
    void theBandwidthServiceIsConfiguredUnderProviderServicesAndTheOldNamesStillCount() {
        NodeConfig current = load("turnpike.provider { enabled = true, payment-threshold = \"500\"\n"
                + "  services.bandwidth { relay-port = 9000, price-per-byte = \"7\", free-tier-rate = 0 } }", Map.of(),
                Map.of());
        NodeConfig old = load("turnpike.provider { enabled = true, payment-threshold = \"500\", relay-port = 9000"
                + ", price-per-byte = \"7\", free-tier-rate = 0 }", Map.of(), Map.of());

        assertThat(current.provider().bandwidth()).isEqualTo(new NodeConfig.Bandwidth(true,
                new NodeConfig.Endpoint("0.0.0.0", 9000), Amount.of(7), 0, 1_250_000, false));
        assertThat(old.provider()).isEqualTo(current.provider());
    }

    @Test
    void theRpcServiceIsConfiguredUnderProviderServicesWithTheOperatorsMethodsInItsTable() {
        NodeConfig config = load("turnpike.provider { enabled = true\n"
                + "  services.rpc { enabled = true, port = 9100, price-per-unit = \"5\"\n"
                + "    upstreams = [\"http://10.0.0.2:8545\", {url = \"https://10.0.0.3/rpc\","
                + " ws = \"wss://10.0.0.3:8546/ws\"}]\n"
                + "    total-capacity = 2000, paid-capacity = 400, free-capacity = 20, buffer = 5s\n"
                + "    max-logs-range = 1000\n"
                + "    methods = [{method = \"debug_traceTransaction\", base = 500},"
                + " {method = \"eth_getLogs\", base = 80, per-item = 2}]\n"
                + "    price { target-utilisation = 80, max = \"9\", step = \"1\", interval = 30s } } }",
                Map.of(), Map.of());

        NodeConfig.Rpc rpc = config.provider().rpc();
        assertThat(rpc.enabled()).isTrue();
        assertThat(rpc.front()).isEqualTo(new NodeConfig.Endpoint("0.0.0.0", 9100));
        assertThat(rpc.pricePerUnit()).isEqualTo(Amount.of(5));
        assertThat(rpc.settings().upstreams()).containsExactly(
                new UpstreamNode(URI.create("http://10.0.0.2:8545"), URI.create("ws://10.0.0.2:8545")),
                new UpstreamNode(URI.create("https://10.0.0.3/rpc"), URI.create("wss://10.0.0.3:8546/ws")));
        assertThat(rpc.settings().capacity()).isEqualTo(new Capacity(2000, 400, 20, Duration.ofSeconds(5)));
        assertThat(rpc.settings().limits().maxLogsRange()).isEqualTo(1000);
        assertThat(rpc.settings().costs().cost("debug_traceTransaction")).contains(MethodCost.of(500));
        assertThat(rpc.settings().costs().cost("eth_getLogs")).contains(new MethodCost(80, 2));
        assertThat(rpc.settings().costs().cost("eth_call")).contains(MethodCost.of(26));
        // An empty min is the starting price: it rises to 9 and decays back to 5, a unit a time.
        assertThat(rpc.settings().price()).isEqualTo(new PriceRule(Amount.of(5), Amount.of(5), Amount.of(9),
                Amount.of(1), 80, Duration.ofSeconds(30)));
        assertThat(ConfigLoader.load(dir.resolve("missing.conf"), Map.of(), Map.of()).provider().rpc().settings())
                .isEqualTo(FrontSettings.of(List.of(URI.create("http://127.0.0.1:8545")))
                        .withPrice(PriceRule.fixed(Amount.of(100_000_000))));
    }

    @Test
    void anUnusableRpcSettingIsRefusedByName() {
        assertThatThrownBy(() -> load("turnpike.provider.services.rpc.methods = [{method = \"eth_call\", base = 26,"
                + " per-item = 1}]", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.provider.services.rpc.methods[0].method")
                .hasMessageContaining("spans no blocks");
        assertThatThrownBy(() -> load("turnpike.provider.services.rpc { total-capacity = 100, paid-capacity = 500 }",
                Map.of(), Map.of()))
                .hasMessageContaining("turnpike.provider.services.rpc.total-capacity")
                .hasMessageContaining("cannot exceed the total");
        assertThatThrownBy(() -> load("turnpike.provider.services.rpc.upstreams = [{url = \"http://10.0.0.2:8545\","
                + " ws = \"http://10.0.0.2:8546\"}]", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.provider.services.rpc.upstreams[0].ws")
                .hasMessageContaining("ws:// or wss://");
        assertThatThrownBy(() -> load("turnpike.provider.services.rpc.upstreams = [{ws = \"ws://10.0.0.2:8546\"}]",
                Map.of(), Map.of()))
                .hasMessageContaining("turnpike.provider.services.rpc.upstreams[0]");
    }

    @Test
    void theRpcEntryBuysFromOneOfTheClientsProvidersAndListensOnLoopbackOnly() {
        String providers = "turnpike.client.providers = [{url = \"ws://203.0.113.7:8646\", address = \"" + TOKEN
                + "\"}]\n";
        NodeConfig config = load(providers + "turnpike.client.services.rpc.provider = \"" + TOKEN + "\"", Map.of(),
                Map.of());

        assertThat(config.client().rpc()).contains(new NodeConfig.RpcClient(Optional.of(Address.of(TOKEN)),
                new InetSocketAddress("127.0.0.1", 8545)));
        assertThat(config.client().providers().getFirst().rpcFront()).isEqualTo(URI.create("http://203.0.113.7:8648"));
        assertThat(ConfigLoader.load(dir.resolve("missing.conf"), Map.of(), Map.of()).client().rpc()).isEmpty();
        // Enabled without a provider: the node chooses among its providers, each at its own front.
        NodeConfig choosing = load("turnpike.client.providers = [{url = \"ws://203.0.113.7:8646\", address = \""
                + TOKEN + "\", rpc-front = \"http://203.0.113.7:9000\"}]\nturnpike.client.services.rpc.enabled = true",
                Map.of(), Map.of());
        assertThat(choosing.client().rpc()).contains(new NodeConfig.RpcClient(Optional.empty(),
                new InetSocketAddress("127.0.0.1", 8545)));
        assertThat(choosing.client().providers().getFirst().rpcFront()).isEqualTo(URI.create("http://203.0.113.7:9000"));
        assertThatThrownBy(() -> load("turnpike.client.services.rpc.provider = \"" + TOKEN + "\"", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.client.services.rpc.provider")
                .hasMessageContaining("not one of turnpike.client.providers");
        assertThatThrownBy(() -> load(providers + "turnpike.client.services.rpc { provider = \"" + TOKEN
                + "\", listen = \"0.0.0.0:8545\" }", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.client.services.rpc.listen")
                .hasMessageContaining("loopback");
    }

    @Test
    void withoutAFileEverySettingHasItsDocumentedDefault() {
        NodeConfig config = ConfigLoader.load(dir.resolve("missing.conf"), Map.of(), Map.of());

        assertThat(config.chain().id()).isEqualTo(31337);
        assertThat(config.chain().rpcUrls()).containsExactly("http://127.0.0.1:8545");
        assertThat(config.chain().contract()).isEmpty();
        assertThat(config.chain().confirmations()).isEqualTo(4);
        assertThat(config.chain().staleAfter()).isEqualTo(Duration.ofSeconds(300));
        assertThat(config.tokens()).isEmpty();
        assertThat(config.wallet().lowBalance()).isEqualTo(Amount.of(10_000_000_000_000_000L));
        assertThat(config.store().jdbcUrl()).isEmpty();
        assertThat(config.api()).isEqualTo(new NodeConfig.Endpoint("127.0.0.1", 8645));
        assertThat(config.peer().port()).isEqualTo(8646);
    }

    @Test
    void theFileOverridesDefaultsTheEnvironmentOverridesTheFileAndPropertiesOverrideBoth() {
        String file = "turnpike.chain { id = 5, confirmations = 2, stale-after = 10m }\n"
                + "turnpike.api.port = 9000\n";
        NodeConfig config = load(file,
                Map.of("TURNPIKE_CHAIN_ID", "7", "TURNPIKE_CHAIN_STALE_AFTER", "90s"),
                Map.of("turnpike.chain.id", "9", "turnpike.repo", "/not/a/setting"));

        assertThat(config.chain().id()).isEqualTo(9);
        assertThat(config.chain().staleAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.chain().confirmations()).isEqualTo(2);
        assertThat(config.api().port()).isEqualTo(9000);
        assertThat(config.chain().pollInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void environmentListsAreCommaSeparatedAndTokensAreHocon() {
        NodeConfig config = load("", Map.of(
                "TURNPIKE_CHAIN_RPC_URLS", "http://a.example:8545, https://b.example/rpc",
                "TURNPIKE_TOKENS", "[{symbol = USDC, address = \"" + TOKEN + "\", decimals = 6}]",
                "TURNPIKE_WALLET_LOW_BALANCE", "0.000000000000000001"), Map.of());

        assertThat(config.chain().rpcUrls()).containsExactly("http://a.example:8545", "https://b.example/rpc");
        assertThat(config.tokens()).containsExactly(Asset.erc20("USDC", Address.of(TOKEN), 6));
        assertThat(config.asset("usdc")).contains(Asset.erc20("USDC", Address.of(TOKEN), 6));
        assertThat(config.wallet().lowBalance()).isEqualTo(Amount.of(1));
    }

    @Test
    void aSystemPropertySetsOneElementOfAListByIndex() {
        NodeConfig config = load("", Map.of(), Map.of("turnpike.chain.rpc-urls.0", "http://a.example",
                "turnpike.chain.rpc-urls.1", "http://b.example"));

        assertThat(config.chain().rpcUrls()).containsExactly("http://a.example", "http://b.example");
    }

    @Test
    void everySettingHasAnEnvironmentVariable() {
        assertThat(ConfigLoader.environmentVariables())
                .containsEntry("chain.stale-after", "TURNPIKE_CHAIN_STALE_AFTER")
                .containsEntry("tokens", "TURNPIKE_TOKENS")
                .hasSize(ConfigLoader.settingPaths().size());
        assertThat(ConfigLoader.environmentVariables().values()).doesNotHaveDuplicates();
    }

    @Test
    void aFileThatDoesNotParseIsReportedWithItsNameAndLine() {
        assertThatThrownBy(() -> load("turnpike {\n  chain {\n    id = = 4\n  }\n}\n", Map.of(), Map.of()))
                .isInstanceOfSatisfying(TurnpikeException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
                    assertThat(e.getMessage()).contains(dir.resolve("turnpike.conf") + ": 3");
                });
    }

    @Test
    void aMisspeltSettingIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> load("turnpike {\n  chain.rpc-url = [\"http://x\"]\n}\n", Map.of(), Map.of()))
                .isInstanceOf(TurnpikeException.class)
                .hasMessageContaining("turnpike.chain.rpc-url is not a setting")
                .hasMessageContaining("turnpike.conf: 2");
        assertThatThrownBy(() -> load("chain { id = 1 }\n", Map.of(), Map.of()))
                .hasMessageContaining("inside turnpike { … }");
    }

    @Test
    void anUnusableValueNamesTheSettingAndWhereItCameFrom() {
        assertThatThrownBy(() -> load("", Map.of("TURNPIKE_CHAIN_CONFIRMATIONS", "0"), Map.of()))
                .hasMessageContaining("environment variable TURNPIKE_CHAIN_CONFIRMATIONS")
                .hasMessageContaining("turnpike.chain.confirmations");
        String badChecksum = TOKEN.replace('A', 'a').replace("b869", "B869");
        assertThatThrownBy(() -> load("turnpike {\n  tokens = [\n    {symbol = X, address = \"" + badChecksum
                + "\", decimals = 6}\n  ]\n}\n", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.conf: 3")
                .hasMessageContaining("turnpike.tokens[0].address");
        assertThatThrownBy(() -> load("turnpike.wallet.low-balance = \"0.1234567890123456789\"", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.wallet.low-balance");
        assertThatThrownBy(() -> load("turnpike.chain.id = one", Map.of(), Map.of()))
                .hasMessageContaining("turnpike.conf: 1");
    }

    @Test
    void theTemplateForANewDataDirectoryExplainsEverySettingAndChangesNoDefault() {
        String template = ConfigLoader.operatorFileTemplate();
        NodeConfig fromTemplate = load(template, Map.of(), Map.of());

        assertThat(fromTemplate).isEqualTo(ConfigLoader.load(dir.resolve("missing.conf"), Map.of(), Map.of()));
        for (String path : ConfigLoader.settingPaths()) {
            String name = path.substring(path.lastIndexOf('.') + 1);
            assertThat(template).as(path).containsPattern("(?m)^\\s*# " + name + " = ");
        }
    }

    @Test
    void aProviderIsPaidThroughAChannelUnlessItsEntrySaysDirect() {
        String provider = "{url = \"ws://203.0.113.7:8646\", address = \"" + TOKEN + "\"";
        NodeConfig config = load("turnpike.client.providers = [" + provider + "}, " + provider
                + ", settlement = \"direct\"}]", Map.of(), Map.of());

        assertThat(config.client().providers()).extracting(NodeConfig.ProviderPeer::settlement)
                .containsExactly(NodeConfig.Settlement.CHANNEL, NodeConfig.Settlement.DIRECT);
        assertThatThrownBy(() -> load("turnpike.client.providers = [" + provider + ", settlement = \"onchain\"}]",
                Map.of(), Map.of()))
                .isInstanceOf(TurnpikeException.class)
                .hasMessageContaining("turnpike.client.providers[0].settlement")
                .hasMessageContaining("\"direct\"");
    }

    @Test
    void theStorePasswordIsNeverPrinted() {
        NodeConfig config = load("", Map.of("TURNPIKE_STORE_PASSWORD", "hunter2",
                "TURNPIKE_STORE_JDBC_URL", "jdbc:postgresql://db/turnpike?password=hunter2"), Map.of());

        assertThat(config.store().password()).contains("hunter2");
        assertThat(config.toString()).doesNotContain("hunter2");
    }
}
