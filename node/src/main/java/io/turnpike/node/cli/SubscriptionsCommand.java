package io.turnpike.node.cli;

import io.turnpike.chain.Chain;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.Plan;
import io.turnpike.chain.market.Provider;
import io.turnpike.core.Address;
import io.turnpike.node.ChainEndpoints;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.mailbox.SubscriptionReminder;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code turnpike subscriptions}: this node's subscriptions in the market (or another address's), each with its
 * expiry, the ones in their last week marked with the command that renews them. Read from the chain.
 */
@Command(name = "subscriptions", mixinStandardHelpOptions = true,
        description = "List this node's subscriptions in the market (turnpike.chain.market) with their expiry; one in "
                + "its last 7 days says how to renew it. Read from the chain; no passphrase needed.")
final class SubscriptionsCommand extends HomeCommand {

    @Option(names = "--for", paramLabel = "ADDRESS", description = "Whose subscriptions (default: this node's).")
    String beneficiary;

    @Option(names = "--market", paramLabel = "ADDRESS",
            description = "The TurnpikeMarket contract (default: turnpike.chain.market).")
    String market;

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        Address registry = ProvidersCommand.registry(config, market);
        Address whose = beneficiary == null ? home.keystore().address() : SubscribeCommand.address(beneficiary, "--for");
        PrintWriter out = out();
        int listed = 0;
        try (Chain chain = ChainEndpoints.connect(config.chain())) {
            MarketContract contract = MarketContract.at(chain, registry);
            Instant now = Instant.ofEpochSecond(chain.latestBlock().getTimestamp().longValueExact());
            for (Address address : contract.providers()) {
                Provider provider = contract.provider(address);
                for (Plan plan : provider.record().plans()) {
                    long expiresAt = contract.expiresAt(whose, address, plan.planId());
                    if (expiresAt == 0) {
                        continue;
                    }
                    Instant until = Instant.ofEpochSecond(expiresAt);
                    out.println(address + "  plan " + plan.planId() + "  " + status(now, until, address, plan));
                    listed++;
                }
            }
        }
        if (listed == 0) {
            out.println(whose + " has no subscription in the market at " + registry + ".");
        }
        return 0;
    }

    static String status(Instant now, Instant until, Address provider, Plan plan) {
        String renewal = SubscriptionReminder.renewal(provider, plan.planId());
        return switch (SubscriptionReminder.state(now, until)) {
            case "ended" -> "ended " + until + "; renew with: " + renewal;
            case "ending" -> "until " + until + " (ends within " + SubscriptionReminder.WINDOW.toDays()
                    + " days; renew with: " + renewal + ")";
            default -> "until " + until;
        };
    }
}
