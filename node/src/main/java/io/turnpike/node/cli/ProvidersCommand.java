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
import io.turnpike.node.market.MarketDirectory;
import io.turnpike.node.market.ProviderChoice;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code turnpike providers}: the providers registered in the market (TurnpikeMarket), as a client chooses among
 * them: each one's endpoint and how far it is from here, committed stake, its score (docs/operating.md, Choosing
 * providers, without this node's own history of it: that is the running node's, in GET /api/providers), services with
 * indicative prices, and subscription plans with their fee.
 * Read from the chain; no passphrase, no running node.
 */
@Command(name = "providers", mixinStandardHelpOptions = true,
        description = "List the providers registered in the market (turnpike.chain.market): endpoint, measured latency, "
                + "stake, score, services with indicative prices, and plans with their fee. Read from the chain; no "
                + "passphrase needed.")
final class ProvidersCommand extends HomeCommand {

    private static final Duration MONTH = Duration.ofDays(30);

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
            // Scored as the node scores them, from the same listing: probed at once, each for at most 2 s.
            MarketDirectory directory = new MarketDirectory(() -> providers, Map.of(), Clock.systemUTC(),
                    Runnable::run);
            MarketDirectory.Listing listing = directory.refresh();
            Map<Address, Long> scores = new HashMap<>();
            new ProviderChoice(List::of, Map.of(), Set.of(), Map.of(), directory, Map::of, config.asset())
                    .view().providers().forEach(view -> scores.put(view.address(), view.score()));
            for (Provider provider : providers) {
                print(out, provider, listing.probes().get(provider.address()).description(),
                        scores.getOrDefault(provider.address(), 0L), config);
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

    private static void print(PrintWriter out, Provider provider, String latency, long score, NodeConfig config) {
        out.println(provider.address() + "  " + provider.record().endpoint());
        out.println("  latency     " + latency);
        out.println("  stake       " + Asset.ETH.format(provider.committedStake())
                + (provider.unstakeAmount().isZero() ? "" : " (" + Asset.ETH.format(provider.unstakeAmount())
                + " more announced to leave)"));
        out.println("  score       " + score);
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
