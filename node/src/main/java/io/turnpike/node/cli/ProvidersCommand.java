package io.turnpike.node.cli;

import io.turnpike.chain.Chain;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.Plan;
import io.turnpike.chain.market.Provider;
import io.turnpike.chain.market.Service;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.ChainEndpoints;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code turnpike providers}: the providers registered in the market (TurnpikeMarket), as a client chooses among
 * them: each one's endpoint and how far it is from here, committed stake, services with indicative prices, and
 * subscription plans with their fee.
 * Read from the chain; no passphrase, no running node.
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "List the providers registered in the market (turnpike.chain.market): endpoint, measured latency, "
                + "stake, services with indicative prices, and plans with their fee. Read from the chain; no passphrase "
                + "needed.")
final class ProvidersCommand extends HomeCommand {

    private static final Duration MONTH = Duration.ofDays(30);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    private static final Executor PROBES = Executors.newVirtualThreadPerTaskExecutor();

    @Option(names = "--market", paramLabel = "ADDRESS",
            description = "The TurnpikeMarket contract (default: turnpike.chain.market).")
    String market;

    @Override
    public Integer call() {
        NodeConfig config = home().loadConfig(environment());
        Address registry = market(config);
        PrintWriter out = out();
        try (Chain chain = ChainEndpoints.connect(config.chain())) {
            MarketContract contract = MarketContract.at(chain, registry);
            List<Address> registered = contract.providers();
            if (registered.isEmpty()) {
                out.println("No provider is registered in the market at " + registry + ".");
                return 0;
            }
            List<Provider> providers = registered.stream().map(contract::provider).toList();
            // Measured at once, each at most PROBE_TIMEOUT: one provider out of reach does not hold up the list.
            List<CompletableFuture<String>> latencies = providers.stream()
                    .map(provider -> CompletableFuture.supplyAsync(() -> latency(provider.record().endpoint()),
                                    PROBES)
                            .completeOnTimeout("unreachable (no answer within " + PROBE_TIMEOUT.toSeconds() + " s)",
                                    PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                    .toList();
            for (int i = 0; i < providers.size(); i++) {
                print(out, providers.get(i), latencies.get(i).join(), config);
            }
        }
        return 0;
    }

    private Address market(NodeConfig config) {
        return registry(config, market);
    }

    /** The market to read: {@code option} when given, else turnpike.chain.market. */
    static Address registry(NodeConfig config, String option) {
        if (option == null) {
            return config.chain().market().orElseThrow(() -> new TurnpikeException(ErrorCode.SETTING_MISSING,
                    "no market named: set turnpike.chain.market to the TurnpikeMarket contract, or pass --market"));
        }
        try {
            return Address.of(option);
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "--market: " + e.getMessage());
        }
    }

    /**
     * How long a TCP connection to the provider's endpoint takes to open: the round trip a client would add, measured
     * from here, now. Why not, when it cannot be opened.
     */
    static String latency(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            int port = uri.getPort() != -1 ? uri.getPort()
                    : "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? 443 : 80;
            InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
            if (address.isUnresolved()) {
                return "unreachable (" + uri.getHost() + " does not resolve)";
            }
            long started = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) PROBE_TIMEOUT.toMillis());
            }
            long micros = (System.nanoTime() - started) / 1_000;
            return micros / 1000 + "." + String.format("%03d", micros % 1000).substring(0, 1) + " ms (TCP connect to "
                    + uri.getHost() + ":" + port + ")";
        } catch (IOException | IllegalArgumentException e) {
            return "unreachable (" + e.getMessage() + ")";
        }
    }

    private static void print(PrintWriter out, Provider provider, String latency, NodeConfig config) {
        out.println(provider.address() + "  " + provider.record().endpoint());
        out.println("  latency     " + latency);
        out.println("  stake       " + Asset.ETH.format(provider.committedStake())
                + (provider.unstakeAmount().isZero() ? "" : " (" + Asset.ETH.format(provider.unstakeAmount())
                + " more announced to leave)"));
        for (Service service : provider.record().services()) {
            out.println("  sells       " + service.name() + " at " + price(service.pricePerUnit(), service.asset(),
                    config) + " per " + service.unit());
        }
        for (Plan plan : provider.record().plans()) {
            out.println("  plan " + plan.planId() + "      " + price(plan.pricePerPeriod(), plan.asset(), config)
                    + " per " + period(plan.periodSeconds()) + monthly(plan, config));
        }
    }

    /** A price in its asset's own terms when this node knows the asset (ether, turnpike.tokens), else raw units. */
    static String price(Amount amount, Address asset, NodeConfig config) {
        if (asset.isZero()) {
            return Asset.ETH.format(amount);
        }
        return config.tokens().stream().filter(token -> token.token().equals(asset)).findFirst()
                .map(token -> token.format(amount))
                .orElse(amount + " units of token " + asset);
    }

    static String period(long seconds) {
        Duration period = Duration.ofSeconds(seconds);
        return period.equals(MONTH) ? "30 days" : period.toDaysPart() > 0 && period.toSecondsPart() == 0
                && period.toMinutesPart() == 0 && period.toHoursPart() == 0 ? period.toDays() + " days"
                : seconds + " s";
    }

    /** For a plan not billed by the month, what a month of it costs, when a month is a whole number of periods. */
    private static String monthly(Plan plan, NodeConfig config) {
        long periods = plan.periodSeconds() == 0 ? 0 : MONTH.toSeconds() / plan.periodSeconds();
        if (plan.periodSeconds() == MONTH.toSeconds() || periods == 0
                || periods * plan.periodSeconds() != MONTH.toSeconds()) {
            return "";
        }
        return " (" + price(plan.priceFor(periods), plan.asset(), config) + " a month)";
    }
}
