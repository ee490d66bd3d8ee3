package io.turnpike.node.config;

import io.turnpike.core.ErrorCode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.HttpLimits;
import io.turnpike.mailbox.MailboxConfig;
import io.turnpike.mailbox.MailboxTerms;
import io.turnpike.paywall.PaywallConfig;
import io.turnpike.rpc.Capacity;
import io.turnpike.rpc.CostTable;
import io.turnpike.rpc.FrontSettings;
import io.turnpike.rpc.MethodCost;
import io.turnpike.rpc.PriceRule;
import io.turnpike.rpc.RpcLimits;
import io.turnpike.rpc.SocketLimits;
import io.turnpike.rpc.UpstreamNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the settings in layers, each over the one before: reference.conf in the jar, the data directory's
 * turnpike.conf, environment variables ({@code TURNPIKE_CHAIN_ID} for turnpike.chain.id), then system
 * properties ({@code -Dturnpike.chain.id=…}). Everything is checked here, so a bad setting stops the node
 * before it does anything, with the file and line to fix.
 */
public final class ConfigLoader {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ConfigLoader.class);

    /** Where a provider's rpc front listens unless the client's settings say otherwise. */
    private static final int DEFAULT_RPC_PORT = 8648;
    /** Every setting lives under this key, in files and system properties alike. */
    public static final String ROOT = "turnpike";
    private static final String ENV_PREFIX = "TURNPIKE_";
    private static final String REFERENCE = "reference.conf";
    /** Read once as text: it is both the defaults and, commented out, a new data directory's turnpike.conf. */
    private static final String REFERENCE_TEXT = referenceText();
    private static final Config DEFAULTS = ConfigFactory.parseString(REFERENCE_TEXT,
            ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setOriginDescription(REFERENCE));

    /** "  key = value": a setting's line, as opposed to a comment or a brace. */
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\s*)([\\w.-]+\\s*=.*)$");

    private ConfigLoader() {
    }

    /**
     * @param file the operator's file; a missing one means "all defaults"
     * @throws TurnpikeException {@link ErrorCode#CONFIG_INVALID} naming the file and line, or the
     *     variable or property, that holds the bad value
     */
    public static NodeConfig load(Path file, Map<String, String> environment, Map<String, String> systemProperties) {
        try {
            Config operator = renamedSettings(ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(true)));
            refuseUnknownSettings(operator);
            Config merged = systemPropertyOverrides(systemProperties)
                    .withFallback(environmentOverrides(environment))
                    .withFallback(operator)
                    .withFallback(DEFAULTS)
                    // ${VAR} substitutions would read the real process environment behind the injected one.
                    .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));
            return read(merged);
        } catch (ConfigException e) {
            throw invalid(e.getMessage());
        }
    }

    /**
     * The text of a new data directory's turnpike.conf: reference.conf with every value commented out, so
     * each setting is explained where the operator changes it and the defaults stay in one place.
     */
    public static String operatorFileTemplate() {
        StringBuilder out = new StringBuilder("""
                # This node's settings. Each one below is commented out, so its default applies; to change one,
                # remove the '#' in front of it and edit the value. Environment variables (TURNPIKE_CHAIN_ID …)
                # and -Dturnpike.… system properties override this file (docs/operating.md).

                """);
        boolean body = false;
        for (String line : REFERENCE_TEXT.split("\n", -1)) {
            // reference.conf's own header describes reference.conf; the body starts at the first setting.
            body |= !line.isBlank() && !line.stripLeading().startsWith("#");
            if (body) {
                Matcher assignment = ASSIGNMENT.matcher(line);
                out.append(assignment.matches() ? assignment.group(1) + "# " + assignment.group(2) : line).append('\n');
            }
        }
        return out.toString().stripTrailing() + "\n";
    }

    private static String referenceText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream("/" + REFERENCE)) {
            return new String(Objects.requireNonNull(in, REFERENCE).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + REFERENCE + " from the class path", e);
        }
    }

    /** Each setting's environment variable: upper case, with '.' and '-' as '_' (turnpike.chain.stale-after → TURNPIKE_CHAIN_STALE_AFTER). */
    public static SortedMap<String, String> environmentVariables() {
        SortedMap<String, String> names = new TreeMap<>();
        for (String path : settingPaths()) {
            names.put(path, ENV_PREFIX + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        return names;
    }

    /** The settings' paths below {@link #ROOT}, from reference.conf. */
    static Set<String> settingPaths() {
        return DEFAULTS.getConfig(ROOT).entrySet().stream().map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Settings that moved, still read at their old names with a warning: the bandwidth service's own settings went
     * under provider.services.bandwidth when a provider could sell more than one service.
     */
    private static final Map<String, String> RENAMED = Map.of(
            "provider.relay-bind", "provider.services.bandwidth.relay-bind",
            "provider.relay-port", "provider.services.bandwidth.relay-port",
            "provider.price-per-byte", "provider.services.bandwidth.price-per-byte",
            "provider.free-tier-rate", "provider.services.bandwidth.free-tier-rate",
            "provider.allow-private-targets", "provider.services.bandwidth.allow-private-targets");

    private static Config renamedSettings(Config operator) {
        Config renamed = operator;
        for (Map.Entry<String, String> move : new TreeMap<>(RENAMED).entrySet()) {
            String old = setting(move.getKey());
            if (renamed.hasPath(old)) {
                LOG.warn("{}: {} is deprecated; it is read as {}, the name to use from now on",
                        renamed.getValue(old).origin().description(), old, setting(move.getValue()));
                if (!renamed.hasPath(setting(move.getValue()))) {
                    renamed = renamed.withValue(setting(move.getValue()), renamed.getValue(old));
                }
                renamed = renamed.withoutPath(old);
            }
        }
        return renamed;
    }

    /**
     * A misspelt setting would otherwise be ignored without a word and the default used instead, which is
     * how a node ends up on the wrong chain or port.
     */
    private static void refuseUnknownSettings(Config operator) {
        for (Map.Entry<String, ConfigValue> entry : operator.root().entrySet()) {
            if (!entry.getKey().equals(ROOT)) {
                throw invalid(entry.getValue().origin().description() + ": '" + entry.getKey()
                        + "' is not a Turnpike setting; every setting goes inside " + ROOT + " { … }");
            }
        }
        if (!operator.hasPath(ROOT)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> entry : operator.getConfig(ROOT).entrySet()) {
            if (!DEFAULTS.hasPathOrNull(setting(entry.getKey()))) {
                throw invalid(entry.getValue().origin().description() + ": " + setting(entry.getKey())
                        + " is not a setting; see reference.conf or docs/operating.md for the names");
            }
        }
    }

    private static Config environmentOverrides(Map<String, String> environment) {
        Config reference = DEFAULTS.getConfig(ROOT);
        Config overrides = ConfigFactory.empty();
        for (Map.Entry<String, String> setting : environmentVariables().entrySet()) {
            String name = setting.getValue();
            String value = environment.get(name);
            if (value == null) {
                continue;
            }
            String origin = "environment variable " + name;
            String path = setting(setting.getKey());
            if (reference.getValue(setting.getKey()).valueType() == ConfigValueType.LIST) {
                overrides = overrides.withValue(path, environmentList(value, origin));
            } else {
                overrides = overrides.withValue(path, ConfigValueFactory.fromAnyRef(value, origin));
            }
        }
        return overrides;
    }

    /** "a,b" is a list of strings; a value that starts with '[' is a HOCON list (the tokens' objects). */
    private static ConfigValue environmentList(String value, String origin) {
        if (value.strip().startsWith("[")) {
            return ConfigFactory.parseString("list = " + value, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF).setOriginDescription(origin)).getValue("list");
        }
        List<String> items = Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        return ConfigValueFactory.fromIterable(items, origin);
    }

    /**
     * Only properties that name a setting (or an element of a list setting) count: other turnpike.*
     * properties, such as turnpike.tools, locate tools and are not configuration.
     */
    private static Config systemPropertyOverrides(Map<String, String> systemProperties) {
        Set<String> paths = settingPaths();
        Map<String, String> overrides = new HashMap<>();
        systemProperties.forEach((key, value) -> {
            if (key.startsWith(ROOT + ".") && namesSetting(key.substring(ROOT.length() + 1), paths)) {
                overrides.put(key, value);
            }
        });
        return ConfigFactory.parseMap(overrides, "system properties");
    }

    private static boolean namesSetting(String key, Set<String> paths) {
        return paths.stream().anyMatch(path -> key.equals(path) || key.startsWith(path + "."));
    }

    private static NodeConfig read(Config c) {
        return new NodeConfig(chain(c), tokens(c), new NodeConfig.Wallet(etherAmount(c, setting("wallet.low-balance"))),
                new NodeConfig.Store(optional(c, setting("store.jdbc-url")), optional(c, setting("store.user")),
                        optional(c, setting("store.password"))),
                endpoint(c, "api"), c.getBoolean(setting("api.allow-remote")), endpoint(c, "peer"),
                new NodeConfig.PeerConnections(positiveInt(c, setting("peer.max-connections")),
                        positiveInt(c, setting("peer.max-connections-per-address"))), asset(c), provider(c),
                client(c), watchtowers(c));
    }

    private static NodeConfig.Watchtowers watchtowers(Config c) {
        String towersPath = setting("towers");
        List<NodeConfig.Tower> towers = new ArrayList<>();
        List<? extends Config> entries = c.getConfigList(towersPath);
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String name = towersPath + "[" + i + "].";
            String url = entry.getString("url").strip();
            check(isHttpUrl(url), entry, "url", name + "url", "the tower's API, such as http://203.0.113.9:8650");
            towers.add(new NodeConfig.Tower(URI.create(url), address(entry, "address", name + "address"),
                    smallestUnits(entry, "reward")));
        }
        String limitPath = setting("tower-uploads-per-interval");
        int limit = c.getInt(limitPath);
        check(limit >= 1, c, limitPath, "at least 1 upload per tower and interval");
        return new NodeConfig.Watchtowers(towers, positive(c, setting("tower-upload-interval")), limit);
    }

    private static Asset asset(Config c) {
        String path = setting("asset");
        String symbol = c.getString(path).strip();
        if (Asset.ETH.symbol().equalsIgnoreCase(symbol)) {
            return Asset.ETH;
        }
        return tokens(c).stream().filter(t -> t.symbol().equalsIgnoreCase(symbol)).findFirst()
                .orElseThrow(() -> invalidValue(c, path, path, "'" + symbol + "' is neither ETH nor a configured token"));
    }

    private static NodeConfig.Provider provider(Config c) {
        String bandwidth = "provider.services.bandwidth.";
        String rate = setting(bandwidth + "free-tier-rate");
        long freeTierRate = c.getLong(rate);
        check(freeTierRate >= 0, c, rate, "bytes per second, 0 or more");
        String totalRate = setting(bandwidth + "free-tier-total-rate");
        long freeTierTotalRate = c.getLong(totalRate);
        check(freeTierTotalRate >= 1, c, totalRate, "bytes per second, 1 or more");
        return new NodeConfig.Provider(c.getBoolean(setting("provider.enabled")),
                smallestUnits(c, setting("provider.payment-threshold")),
                smallestUnits(c, setting("provider.refresh-rate")),
                positive(c, setting("provider.statement-interval")),
                new NodeConfig.Bandwidth(c.getBoolean(setting(bandwidth + "enabled")),
                        new NodeConfig.Endpoint(c.getString(setting(bandwidth + "relay-bind")).strip(),
                                port(c, setting(bandwidth + "relay-port"), 1)),
                        smallestUnits(c, setting(bandwidth + "price-per-byte")), freeTierRate, freeTierTotalRate,
                        c.getBoolean(setting(bandwidth + "allow-private-targets"))),
                rpc(c), paywall(c), mailbox(c),
                new NodeConfig.Admission(smallestUnits(c, setting("provider.min-deposit")),
                        positive(c, setting("provider.forget-idle-after"))));
    }

    /**
     * The mailbox, if enabled: it must serve someone (free mode, a plan, or a price per byte), and plans are the
     * market's, so they need turnpike.chain.market.
     */
    private static Optional<NodeConfig.Mailbox> mailbox(Config c) {
        String mailbox = "provider.services.mailbox.";
        String enabled = setting(mailbox + "enabled");
        if (!c.getBoolean(enabled)) {
            return Optional.empty();
        }
        String plansPath = setting(mailbox + "plans");
        Map<Long, MailboxTerms> plans = new HashMap<>();
        List<? extends Config> entries = c.getConfigList(plansPath);
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String plan = plansPath + "[" + i + "].";
            check(entry.hasPath("plan-id") && entry.hasPath("retention") && entry.hasPath("quota"), entry, "plan-id",
                    plan + "plan-id", "each plan is {plan-id = 1, retention = 90d, quota = 64MiB}");
            long planId = entry.getLong("plan-id");
            check(planId >= 0 && !plans.containsKey(planId), entry, "plan-id", plan + "plan-id",
                    "a plan id of this node's in the market, each listed once");
            plans.put(planId, terms(entry, "retention", "quota", plan));
        }
        String pricePath = setting(mailbox + "price-per-byte");
        Amount price = smallestUnits(c, pricePath);
        boolean free = c.getBoolean(setting(mailbox + "free"));
        check(free || !plans.isEmpty() || !price.isZero(), c, enabled, "a mailbox that serves no one: set free = true, "
                + "list the market plans it serves in plans, or set a price-per-byte for clients paying over a channel");
        check(plans.isEmpty() || optional(c, setting("chain.market")).isPresent(), c, plansPath, "plans are the "
                + "market's: set turnpike.chain.market to the TurnpikeMarket they are registered in");
        MailboxConfig settings;
        try {
            settings = new MailboxConfig(free, plans, terms(c, setting(mailbox + "retention"),
                    setting(mailbox + "quota"), ""), c.getDuration(setting(mailbox + "grace")),
                    bytes(c, setting(mailbox + "max-envelope-bytes")),
                    positiveInt(c, setting(mailbox + "max-fetch-envelopes")),
                    bytes(c, setting(mailbox + "max-fetch-bytes")),
                    positive(c, setting(mailbox + "max-request-lifetime")));
        } catch (IllegalArgumentException e) {
            throw invalidValue(c, enabled, setting(mailbox + "*"), e.getMessage());
        }
        return Optional.of(new NodeConfig.Mailbox(new NodeConfig.Endpoint(c.getString(setting(mailbox + "bind"))
                .strip(), port(c, setting(mailbox + "port"), 1)), settings, price,
                positive(c, setting(mailbox + "sweep-interval"))));
    }

    /** A plan's retention and quota; {@code name} prefixes the settings' names (a list element has no path). */
    private static MailboxTerms terms(Config c, String retentionPath, String quotaPath, String name) {
        Duration retention = c.getDuration(retentionPath);
        check(retention.isPositive(), c, retentionPath, name + retentionPath, "a duration above zero, such as 90d");
        long quota = c.getBytes(quotaPath);
        check(quota >= 1, c, quotaPath, name + quotaPath, "a size of at least 1 byte, such as 64MiB");
        return new MailboxTerms(retention, quota);
    }

    /** The paywall, if enabled: priced in the node's asset, which must then be a token. */
    private static Optional<NodeConfig.Paywall> paywall(Config c) {
        String paywall = "provider.services.paywall.";
        if (!c.getBoolean(setting(paywall + "enabled"))) {
            return Optional.empty();
        }
        String enabled = setting(paywall + "enabled");
        check(!asset(c).isEther(), c, enabled, "the paywall is paid in turnpike.asset, which must be an EIP-3009 "
                + "token (one of turnpike.tokens), not ETH");
        String namePath = setting(paywall + "token-name");
        String name = c.getString(namePath);
        check(!name.isBlank(), c, namePath, "the token's EIP-712 name, as its name() returns it (USDC: \"USD Coin\")");
        String routesPath = setting(paywall + "routes");
        List<PaywallConfig.Route> routes = new ArrayList<>();
        List<? extends Config> entries = c.getConfigList(routesPath);
        check(!entries.isEmpty(), c, routesPath, "at least one paid path, such as [{prefix = \"/api/\", backend = "
                + "\"http://127.0.0.1:8080/v1\", price = \"1000\"}]");
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String route = routesPath + "[" + i + "].";
            check(entry.hasPath("prefix") && entry.hasPath("backend") && entry.hasPath("price"), entry, "prefix",
                    route + "prefix", "each route is {prefix = \"/api/\", backend = \"http://…\", price = \"1000\"}");
            String prefix = entry.getString("prefix").strip();
            check(prefix.startsWith("/"), entry, "prefix", route + "prefix", "a path prefix starting with '/'");
            String backend = entry.getString("backend").strip();
            check(isHttpUrl(backend), entry, "backend", route + "backend", "the backend's http:// or https:// URL");
            Amount price = smallestUnits(entry, "price", route + "price");
            check(!price.isZero(), entry, "price", route + "price", "a price above 0; serve free paths elsewhere");
            Amount perByte = entry.hasPath("price-per-byte")
                    ? smallestUnits(entry, "price-per-byte", route + "price-per-byte") : Amount.ZERO;
            int maxResponseBytes = PaywallConfig.Route.PAYWALL_LIMIT;
            if (entry.hasPath("max-response-bytes")) {
                long limit = c.getBytes(setting(paywall + "limits.max-response-bytes"));
                String expected = "a size from 1 byte to limits.max-response-bytes (" + limit + "), such as 64KiB";
                long cap;
                try {
                    cap = entry.getBytes("max-response-bytes");
                } catch (ConfigException notASize) { // a negative size, for one
                    throw invalidValue(entry, "max-response-bytes", route + "max-response-bytes", expected);
                }
                check(cap >= 1 && cap <= limit, entry, "max-response-bytes", route + "max-response-bytes", expected);
                maxResponseBytes = (int) cap;
            }
            routes.add(new PaywallConfig.Route(prefix, URI.create(backend), price, perByte, maxResponseBytes,
                    entry.hasPath("description") ? entry.getString("description") : prefix,
                    entry.hasPath("mime-type") ? entry.getString("mime-type") : "application/json",
                    entry.hasPath("forward-authorization") && entry.getBoolean("forward-authorization")));
        }
        String timeoutPath = setting(paywall + "max-timeout-seconds");
        long maxTimeout = c.getLong(timeoutPath);
        check(maxTimeout > 6 && maxTimeout <= 86_400, c, timeoutPath, "seconds within 7..86400, enough to settle in");
        String limits = paywall + "limits.";
        String headerPath = setting(limits + "max-header-bytes");
        PaywallConfig.Limits bounds;
        try {
            bounds = new PaywallConfig.Limits(HttpLimits.defaults().withMaxRequestHeaderBytes(bytes(c, headerPath))
                    .withMaxBodyBytes(bytes(c, setting(limits + "max-body-bytes"))),
                    bytes(c, setting(limits + "max-payment-header-bytes")),
                    bytes(c, setting(limits + "max-response-bytes")), positive(c, setting(limits + "backend-timeout")));
        } catch (IllegalArgumentException e) {
            throw invalidValue(c, headerPath, setting(limits + "*"), e.getMessage());
        }
        String facilitator = paywall + "facilitator.";
        Optional<NodeConfig.Endpoint> facilitatorAt = c.getBoolean(setting(facilitator + "enabled"))
                ? Optional.of(new NodeConfig.Endpoint(c.getString(setting(facilitator + "bind")).strip(),
                        port(c, setting(facilitator + "port"), 1)))
                : Optional.empty();
        return Optional.of(new NodeConfig.Paywall(new NodeConfig.Endpoint(c.getString(setting(paywall + "bind")).strip(),
                port(c, setting(paywall + "port"), 1)), name, c.getString(setting(paywall + "token-version")), routes,
                c.getBoolean(setting(paywall + "channel-scheme")), maxTimeout, bounds, facilitatorAt));
    }

    private static NodeConfig.Rpc rpc(Config c) {
        String rpc = "provider.services.rpc.";
        List<UpstreamNode> upstreams = upstreams(c, setting(rpc + "upstreams"));
        String totalPath = setting(rpc + "total-capacity");
        Capacity capacity;
        try {
            capacity = new Capacity(c.getLong(totalPath), c.getLong(setting(rpc + "paid-capacity")),
                    c.getLong(setting(rpc + "free-capacity")), positive(c, setting(rpc + "buffer")));
        } catch (IllegalArgumentException e) {
            throw invalidValue(c, totalPath, setting(rpc + "total-capacity, paid-capacity, free-capacity and buffer"),
                    e.getMessage());
        }
        String batchPath = setting(rpc + "max-batch");
        int maxBatch = c.getInt(batchPath);
        check(maxBatch >= 1, c, batchPath, "1 or more calls");
        String rangePath = setting(rpc + "max-logs-range");
        long maxLogsRange = c.getLong(rangePath);
        check(maxLogsRange >= 1, c, rangePath, "1 or more blocks");
        RpcLimits limits = new RpcLimits(maxLogsRange, maxBatch, bytes(c, setting(rpc + "max-body-bytes")),
                bytes(c, setting(rpc + "max-response-bytes")), positive(c, setting(rpc + "upstream-timeout")));
        Amount price = smallestUnits(c, setting(rpc + "price-per-unit"));
        String subscriptionsPath = setting(rpc + "max-subscriptions");
        int maxSubscriptions = c.getInt(subscriptionsPath);
        check(maxSubscriptions >= 0, c, subscriptionsPath, "0 or more subscriptions");
        SocketLimits sockets = new SocketLimits(maxSubscriptions, bytes(c, setting(rpc + "max-frame-bytes")),
                positive(c, setting(rpc + "socket-idle-timeout")));
        return new NodeConfig.Rpc(c.getBoolean(setting(rpc + "enabled")),
                new NodeConfig.Endpoint(c.getString(setting(rpc + "bind")).strip(), port(c, setting(rpc + "port"), 1)),
                price, new FrontSettings(upstreams, costTable(c, setting(rpc + "methods")),
                        limits, capacity, priceRule(c, rpc + "price.", price), sockets));
    }

    /**
     * The rpc front's upstream nodes: each an HTTP URL, whose WebSocket is the same URL with ws://, or
     * {@code {url = "http://…", ws = "ws://…"}} for a node that serves its WebSocket elsewhere.
     */
    private static List<UpstreamNode> upstreams(Config c, String path) {
        List<UpstreamNode> nodes = new ArrayList<>();
        List<? extends ConfigValue> entries = c.getList(path);
        check(!entries.isEmpty(), c, path, "at least one of the operator's own JSON-RPC nodes");
        String expected = "an http:// or https:// URL, or {url = \"http://…\", ws = \"ws://…\"}";
        for (int i = 0; i < entries.size(); i++) {
            ConfigValue entry = entries.get(i);
            String name = path + "[" + i + "]";
            Optional<Config> node = entry.valueType() == ConfigValueType.OBJECT
                    ? Optional.of(((ConfigObject) entry).toConfig()) : Optional.empty();
            Object url = node.map(n -> n.hasPath("url") ? n.getValue("url").unwrapped() : null)
                    .orElseGet(entry::unwrapped);
            check(url instanceof String http && isHttpUrl(http.strip())
                    && node.map(n -> Set.of("url", "ws").containsAll(n.root().keySet())).orElse(true),
                    c, path, name, expected);
            URI http = URI.create(((String) url).strip());
            Optional<String> ws = node.filter(n -> n.hasPath("ws")).map(n -> n.getString("ws").strip());
            if (ws.isPresent()) {
                check(isSocketUrl(ws.get()), node.get(), "ws", name + ".ws", "a ws:// or wss:// URL");
            }
            nodes.add(ws.map(socket -> new UpstreamNode(http, URI.create(socket)))
                    .orElseGet(() -> UpstreamNode.at(http)));
        }
        return nodes;
    }

    /** How the rpc price follows the load; bounds left empty are the starting price. */
    private static PriceRule priceRule(Config c, String prefix, Amount start) {
        String targetPath = setting(prefix + "target-utilisation");
        int target = c.getInt(targetPath);
        check(target >= 1 && target <= 100, c, targetPath, "a percentage within 1..100");
        String minPath = setting(prefix + "min");
        String maxPath = setting(prefix + "max");
        Amount min = optional(c, minPath).isPresent() ? smallestUnits(c, minPath) : start;
        Amount max = optional(c, maxPath).isPresent() ? smallestUnits(c, maxPath) : start;
        try {
            return new PriceRule(start, min, max, smallestUnits(c, setting(prefix + "step")), target,
                    positive(c, setting(prefix + "interval")));
        } catch (IllegalArgumentException e) {
            throw invalidValue(c, minPath, setting(prefix + "min, max and price-per-unit"), e.getMessage());
        }
    }

    /** The default cost table with the operator's {@code methods} added or repriced. */
    private static CostTable costTable(Config c, String path) {
        CostTable table = CostTable.defaults();
        List<? extends Config> entries = c.getConfigList(path);
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String name = path + "[" + i + "].";
            check(entry.hasPath("method") && entry.hasPath("base"), entry, "method", name + "method",
                    "each entry is {method = \"eth_…\", base = units} (and per-item = units for a block range)");
            long base = entry.getLong("base");
            long perItem = entry.hasPath("per-item") ? entry.getLong("per-item") : 0;
            check(base >= 0 && perItem >= 0, entry, "base", name + "base", "cost units, 0 or more");
            try {
                table = table.with(entry.getString("method").strip(), new MethodCost(base, perItem));
            } catch (IllegalArgumentException e) {
                throw invalidValue(entry, "method", name + "method", e.getMessage());
            }
        }
        return table;
    }

    /**
     * The client's local JSON-RPC entry, when enabled or when it names a provider (one of its providers, pinned);
     * {@code providers} with the pinned one's front set by {@code front}, when given, added.
     */
    private static Optional<NodeConfig.RpcClient> rpcClient(Config c, List<NodeConfig.ProviderPeer> providers) {
        String rpc = "client.services.rpc.";
        String providerPath = setting(rpc + "provider");
        if (optional(c, providerPath).isEmpty()) {
            return c.getBoolean(setting(rpc + "enabled")) ? Optional.of(new NodeConfig.RpcClient(Optional.empty(),
                    listen(c, setting(rpc + "listen")))) : Optional.empty();
        }
        Address provider = address(c, providerPath, providerPath);
        NodeConfig.ProviderPeer peer = providers.stream().filter(p -> p.address().equals(provider)).findFirst()
                .orElseThrow(() -> invalidValue(c, providerPath, providerPath, provider + " is not one of "
                        + setting("client.providers") + "; add it there, with its url, to buy from it"));
        String frontPath = setting(rpc + "front");
        Optional<String> front = optional(c, frontPath);
        if (front.isPresent()) {
            check(isHttpUrl(front.get()), c, frontPath, "the provider's rpc front, such as http://203.0.113.7:8648");
            providers.set(providers.indexOf(peer), new NodeConfig.ProviderPeer(peer.url(), peer.address(),
                    peer.relay(), URI.create(front.get()), peer.settlement()));
        }
        return Optional.of(new NodeConfig.RpcClient(Optional.of(provider), listen(c, setting(rpc + "listen"))));
    }

    private static InetSocketAddress listen(Config c, String listenPath) {
        String listen = c.getString(listenPath).strip();
        int colon = listen.lastIndexOf(':');
        check(colon > 0, c, listenPath, "host:port on loopback, such as 127.0.0.1:8545");
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(listen.substring(0, colon)),
                    Integer.parseInt(listen.substring(colon + 1)));
        } catch (IOException | IllegalArgumentException e) {
            throw invalidValue(c, listenPath, listenPath, "host:port on loopback, such as 127.0.0.1:8545 ("
                    + e.getMessage() + ")");
        }
        check(address.getAddress().isLoopbackAddress(), c, listenPath, "a loopback address such as 127.0.0.1: "
                + "whoever reaches the entry spends this node's money");
        return address;
    }

    private static int bytes(Config c, String path) {
        long bytes = c.getBytes(path);
        check(bytes >= 1 && bytes <= Integer.MAX_VALUE, c, path,
                "a size from 1 byte to 2 GiB, such as 1048576 or 1MiB");
        return (int) bytes;
    }

    private static NodeConfig.Client client(Config c) {
        String providersPath = setting("client.providers");
        List<NodeConfig.ProviderPeer> providers = new ArrayList<>();
        List<? extends Config> entries = c.getConfigList(providersPath);
        for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String name = providersPath + "[" + i + "].";
            String url = entry.getString("url").strip();
            check(url.startsWith("ws://") || url.startsWith("wss://"), entry, "url", name + "url",
                    "a WebSocket URL such as ws://203.0.113.7:8646");
            URI uri = URI.create(url);
            // The relay listens beside the peer port unless the entry says where: {relay = "host:port"}.
            String relay = entry.hasPath("relay") ? entry.getString("relay").strip() : uri.getHost() + ":8647";
            int colon = relay.lastIndexOf(':');
            check(colon > 0, entry, "url", name + "relay", "host:port of the provider's SOCKS5 relay");
            String settlement = entry.hasPath("settlement") ? entry.getString("settlement").strip() : "channel";
            check(settlement.equals("channel") || settlement.equals("direct"), entry, "settlement", name + "settlement",
                    "\"channel\" (pay through a payment channel) or \"direct\" (a plain transfer per payment)");
            // Its JSON-RPC front, likewise, unless the entry says where: {rpc-front = "http://host:port"}.
            String rpcFront = entry.hasPath("rpc-front") ? entry.getString("rpc-front").strip()
                    : "http://" + uri.getHost() + ":" + DEFAULT_RPC_PORT;
            check(isHttpUrl(rpcFront), entry, "rpc-front", name + "rpc-front",
                    "the provider's rpc front, such as http://203.0.113.7:8648");
            providers.add(new NodeConfig.ProviderPeer(uri, address(entry, "address", name + "address"),
                    java.net.InetSocketAddress.createUnresolved(relay.substring(0, colon),
                            Integer.parseInt(relay.substring(colon + 1))), URI.create(rpcFront),
                    NodeConfig.Settlement.valueOf(settlement.toUpperCase(Locale.ROOT))));
        }
        Asset asset = asset(c);
        Amount deposit = assetAmount(c, setting("client.deposit"), asset);
        Amount topUpBelow = assetAmount(c, setting("client.top-up-below"), asset);
        String tolerancePath = setting("client.tolerance-percent");
        int tolerance = c.getInt(tolerancePath);
        check(tolerance >= 0 && tolerance <= 100, c, tolerancePath, "a percentage within 0..100");
        Optional<NodeConfig.RpcClient> rpc = rpcClient(c, providers);
        return new NodeConfig.Client(providers, port(c, setting("client.socks-port"), 0), rpc, deposit, topUpBelow,
                positive(c, setting("client.challenge-period")), positive(c, setting("client.pay-interval")), tolerance,
                new NodeConfig.PaywallCaps(smallestUnits(c, setting("client.paywall.max-per-request")),
                        smallestUnits(c, setting("client.paywall.max-per-day"))));
    }

    private static Amount assetAmount(Config c, String path, Asset asset) {
        try {
            return Amount.parse(c.getString(path), asset.decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalidValue(c, path, path, "an amount of " + asset.symbol() + " as a decimal figure: " + e.getMessage());
        }
    }

    private static int port(Config c, String path, int lowest) {
        int port = c.getInt(path);
        check(port >= lowest && port <= 65535, c, path, "a port within " + lowest + "..65535");
        return port;
    }

    private static Amount smallestUnits(Config c, String path) {
        return smallestUnits(c, path, path);
    }

    /** @param name how the operator knows the setting (a list element has no path of its own) */
    private static Amount smallestUnits(Config c, String path, String name) {
        String text = c.getString(path).strip();
        check(text.chars().allMatch(Character::isDigit) && !text.isEmpty(), c, path, name,
                "a whole number of the asset's smallest unit (wei for ETH), such as \"10000\"");
        try {
            return Amount.of(new java.math.BigInteger(text));
        } catch (ArithmeticException e) {
            throw invalidValue(c, path, name, e.getMessage());
        }
    }

    private static NodeConfig.Chain chain(Config c) {
        String idPath = setting("chain.id");
        long id = c.getLong(idPath);
        check(id > 0, c, idPath, "a chain id is a positive number (1 for Ethereum mainnet, 31337 for anvil)");
        String urlsPath = setting("chain.rpc-urls");
        List<String> urls = c.getStringList(urlsPath);
        check(!urls.isEmpty(), c, urlsPath, "at least one JSON-RPC endpoint is needed");
        for (String url : urls) {
            check(isHttpUrl(url), c, urlsPath, "'" + url + "' is not an http:// or https:// URL");
        }
        String contractPath = setting("chain.contract");
        Optional<Address> contract = optional(c, contractPath).map(hex -> address(c, contractPath, contractPath));
        String confirmationsPath = setting("chain.confirmations");
        int confirmations = c.getInt(confirmationsPath);
        check(confirmations >= 1, c, confirmationsPath, "at least 1 (1 = in the latest block)");
        String watchPath = setting("chain.watch-from-block");
        long watchFrom = c.getLong(watchPath);
        check(watchFrom >= 1, c, watchPath, "a block number, 1 or more");
        String marketPath = setting("chain.market");
        Optional<Address> market = optional(c, marketPath).map(hex -> address(c, marketPath, marketPath));
        return new NodeConfig.Chain(id, urls, contract, confirmations, positive(c, setting("chain.stale-after")),
                positive(c, setting("chain.poll-interval")), watchFrom, market);
    }

    private static List<Asset> tokens(Config c) {
        List<Asset> tokens = new ArrayList<>();
        Set<String> symbols = new HashSet<>(Set.of(Asset.ETH.symbol()));
        List<? extends Config> entries = c.getConfigList(setting("tokens"));
        for (int i = 0; i < entries.size(); i++) {
            Config token = entries.get(i);
            String name = setting("tokens") + "[" + i + "].";
            String symbol = token.getString("symbol").strip();
            check(!symbol.isEmpty(), token, "symbol", name + "symbol", "a token needs a symbol");
            check(symbols.add(symbol.toUpperCase(Locale.ROOT)), token, "symbol", name + "symbol",
                    "'" + symbol + "' is taken (by ETH or another token); give each token its own symbol");
            Address address = address(token, "address", name + "address");
            check(!address.isZero(), token, "address", name + "address", "a token cannot be at the zero address");
            int decimals = token.getInt("decimals");
            check(decimals >= 0 && decimals <= 77, token, "decimals", name + "decimals", "within 0..77");
            tokens.add(Asset.erc20(symbol, address, decimals));
        }
        return tokens;
    }

    private static int positiveInt(Config c, String path) {
        int value = c.getInt(path);
        check(value >= 1, c, path, "1 or more");
        return value;
    }

    private static NodeConfig.Endpoint endpoint(Config c, String section) {
        String bindPath = setting(section + ".bind");
        String bind = c.getString(bindPath).strip();
        check(!bind.isEmpty(), c, bindPath, "an address to listen on, such as 127.0.0.1");
        String portPath = setting(section + ".port");
        int port = c.getInt(portPath);
        check(port >= 1 && port <= 65535, c, portPath, "a port is within 1..65535");
        return new NodeConfig.Endpoint(bind, port);
    }

    private static Amount etherAmount(Config c, String path) {
        try {
            return Amount.parse(c.getString(path), Asset.ETH.decimals());
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw invalidValue(c, path, path, "an amount of ETH as a decimal figure, such as \"0.01\": "
                    + e.getMessage());
        }
    }

    private static Address address(Config c, String path, String name) {
        try {
            return Address.of(c.getString(path).strip());
        } catch (IllegalArgumentException e) {
            throw invalidValue(c, path, name, e.getMessage());
        }
    }

    private static Duration positive(Config c, String path) {
        Duration duration = c.getDuration(path);
        check(duration.isPositive(), c, path, "a duration above zero, such as 300s");
        return duration;
    }

    private static Optional<String> optional(Config c, String path) {
        return Optional.of(c.getString(path).strip()).filter(s -> !s.isEmpty());
    }

    private static boolean isSocketUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String setting(String path) {
        return ROOT + "." + path;
    }

    private static void check(boolean ok, Config c, String path, String expected) {
        check(ok, c, path, path, expected);
    }

    /** @param name how the operator knows the setting (a list element has no path of its own) */
    private static void check(boolean ok, Config c, String path, String name, String expected) {
        if (!ok) {
            throw invalidValue(c, path, name, expected);
        }
    }

    private static TurnpikeException invalidValue(Config c, String path, String name, String problem) {
        return invalid(c.getValue(path).origin().description() + ": " + name + ": " + problem);
    }

    private static TurnpikeException invalid(String problem) {
        return new TurnpikeException(ErrorCode.CONFIG_INVALID,
                "invalid configuration: " + problem + ". Fix it and run again; nothing was changed.");
    }
}
