package io.turnpike.node.wallet;

import io.turnpike.chain.Chain;
import io.turnpike.chain.TransactionSender;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.Plan;
import io.turnpike.chain.market.Provider;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.time.Duration;
import java.time.Instant;

/**
 * Buying {@code months} of a provider's plan in the market, as {@code turnpike subscribe} and the API's
 * {@code POST /api/subscriptions} both do: first a quote read from the chain (the price, and the expiry it gives,
 * counted on from a running subscription's), then the payment. The contract takes the plan's price as read at most,
 * so a price raised between the quote and the payment is refused on chain, never paid.
 *
 * @param from when the bought months start: the chain's latest block, or the running subscription's expiry if later
 * @param expiresAt when it will run until; the contract counts a new subscription from the block the payment lands
 *     in, so then a few seconds later than this
 */
public record PlanPurchase(MarketContract market, Address provider, Plan plan, long months, long periods,
                           Address beneficiary, Amount price, Instant from, Instant expiresAt) {

    /** The month the market is bought by: 30 days, whatever the calendar says. */
    public static final Duration MONTH = Duration.ofDays(30);

    /**
     * Reads the plan and the running expiry from the chain.
     *
     * @throws TurnpikeException {@link ErrorCode#BAD_ARGUMENT} for a provider that is not registered, a plan it does
     *     not have, a number of months under 1 or one the plan's period does not divide
     */
    public static PlanPurchase quote(Chain chain, Address market, Address provider, long planId, long months,
                                     Address beneficiary) {
        MarketContract contract = MarketContract.at(chain, market);
        Provider listed = contract.provider(provider);
        if (!listed.registered()) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, provider + " is not registered in the market at "
                    + market + "; 'turnpike providers' lists who is");
        }
        Plan plan = listed.record().plan(planId).orElseThrow(() -> new TurnpikeException(ErrorCode.BAD_ARGUMENT,
                provider + " has no plan " + planId + "; 'turnpike providers' lists its plans"));
        long periods = periods(plan, months);
        long now = chain.latestBlock().getTimestamp().longValueExact(); // the contract counts by the chain's clock
        long from = Math.max(now, contract.expiresAt(beneficiary, provider, planId));
        return new PlanPurchase(contract, provider, plan, months, periods, beneficiary, plan.priceFor(periods),
                Instant.ofEpochSecond(from), Instant.ofEpochSecond(from + periods * plan.periodSeconds()));
    }

    /**
     * Pays it from {@code payer}, which records each transaction before sending it; returns once it is in a block.
     * A token plan first approves the market for exactly the price.
     */
    public MarketContract.Subscription pay(TransactionSender payer) {
        return market.subscribe(payer, provider, plan, periods, beneficiary);
    }

    /** Months as the plan's periods: a whole number of them, or the plan cannot be bought by the month. */
    private static long periods(Plan plan, long months) {
        if (months < 1) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "the number of months is 1 or more, not " + months);
        }
        long wanted = Math.multiplyExact(months, MONTH.toSeconds());
        if (plan.periodSeconds() <= 0 || wanted % plan.periodSeconds() != 0) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "plan " + plan.planId() + " runs by periods of "
                    + plan.periodSeconds() + " s, which a month is not a whole number of");
        }
        return wanted / plan.periodSeconds();
    }
}
