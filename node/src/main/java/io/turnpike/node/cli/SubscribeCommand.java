package io.turnpike.node.cli;

import io.turnpike.chain.Chain;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.ChainEndpoints;
import io.turnpike.node.NodeHome;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.wallet.Keystore;
import io.turnpike.node.wallet.PlanPurchase;
import io.turnpike.node.wallet.Wallet;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code turnpike subscribe PROVIDER --plan P --months N}: pays a provider's plan in the market from the node's wallet
 * after showing what it pays, to whom, and until when, and asking. The contract takes the price as read at most, so a
 * price raised meanwhile is refused on chain; a renewal is the same command, counted on from the current expiry.
 */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = "Subscribe to a provider's plan in the market (turnpike.chain.market), paying from the node's "
                + "wallet: shows the price and the new expiry and asks first. Renewing is the same command.")
final class SubscribeCommand extends HomeCommand {

    @Parameters(index = "0", paramLabel = "PROVIDER", description = "The provider's address, as 'turnpike providers' "
            + "lists it.")
    String provider;

    @Option(names = "--plan", paramLabel = "P", required = true, description = "The plan's id.")
    long planId;

    @Option(names = "--months", paramLabel = "N", required = true, description = "How many months (30 days each).")
    long months;

    @Option(names = "--for", paramLabel = "ADDRESS", description = "Whose subscription it is (default: this node).")
    String beneficiary;

    @Option(names = "--market", paramLabel = "ADDRESS",
            description = "The TurnpikeMarket contract (default: turnpike.chain.market).")
    String market;

    @Option(names = "--yes", description = "Pay without asking for confirmation.")
    boolean yes;

    @Mixin
    PassphraseOption passphrase;

    @Override
    public Integer call() {
        NodeHome home = home();
        NodeConfig config = home.loadConfig(environment());
        Address registry = ProvidersCommand.registry(config, market);
        Address seller = address(provider, "PROVIDER");
        Keystore keystore = home.keystore();
        Address whose = beneficiary == null ? keystore.address() : address(beneficiary, "--for");
        requireConfirmable(yes, "subscription");
        PrintWriter out = out();
        try (Chain chain = ChainEndpoints.connect(config.chain())) {
            PlanPurchase purchase = PlanPurchase.quote(chain, registry, seller, planId, months, whose);
            // The day, not the second: the contract counts a new one from the block the payment lands in, a little later.
            LocalDate until = LocalDate.ofInstant(purchase.expiresAt(), ZoneOffset.UTC);
            String price = ProvidersCommand.price(purchase.price(), purchase.plan().asset(), config);
            String question = "Pay " + price + " to " + seller + " for " + months + (months == 1 ? " month" : " months")
                    + " of plan " + planId + (whose.equals(keystore.address()) ? "" : " for " + whose) + ", until "
                    + until + "?";
            if (!yes && !confirmed(question)) {
                out.println("Nothing was paid.");
                return 1;
            }
            if (yes) {
                out.println(question.substring(0, question.length() - 1) + ".");
            }
            PrivateKey key = keystore.unlock(passphrase.source(environment())
                    .toUnlock("the keystore of " + keystore.address()));
            MarketContract.Subscription done = purchase.pay(chain.account(key));
            // A provider honours a subscription only this deep: say when it counts, not only that it was mined.
            Confirmations.follow(out, new Wallet(chain, config), done.receipt(), config.chain().confirmations(),
                    "the subscription");
            out.println("Subscribed until " + Instant.ofEpochSecond(done.event().expiresAt()) + " (transaction "
                    + done.receipt().hash() + ").");
        }
        return 0;
    }

    static Address address(String text, String what) {
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, what + ": " + e.getMessage());
        }
    }
}
