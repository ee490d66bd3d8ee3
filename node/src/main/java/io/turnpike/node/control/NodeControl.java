package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.tower.TowerHoldings;
import java.util.List;
import java.util.Optional;

/**
 * What an operator can see and do on a running node: the port the HTTP API (and through it the CLI and
 * the dashboard) drives. Errors a user can hit are {@link io.turnpike.core.TurnpikeException}s or
 * {@link ControlException}s with stable codes.
 */
public interface NodeControl {

    NodeStatus status();

    List<PeerView> peers();

    List<ChannelView> channels();

    /** The wallet's balances on chain now, and what is this node's own in its channels. */
    WalletView wallet();

    /** What this node sells and what it buys, at what prices. */
    ServicesView services();

    /** The last messages from peers this node refused, newest first. */
    List<RefusalView> refusals();

    /**
     * This node's own subscriptions in the market (turnpike.chain.market) as the chain confirmed them, soonest to end
     * first, each with its state and the command that renews it; empty without a market.
     */
    List<SubscriptionView> subscriptions();

    /**
     * The providers this node can buy from (configured, and registered in the market when turnpike.chain.market is
     * set), best scored first, and the one each service it buys uses now.
     */
    ProvidersView providers();

    /**
     * Pins {@code service} to {@code provider} until the node stops, or with an empty one lets the node choose again.
     *
     * @throws ControlException {@code unknown_service} for a service this node does not buy through a local entry;
     *     {@code unknown_peer} for a provider not in turnpike.client.providers. Nothing changes then
     */
    ProviderPin pinProvider(String service, Optional<Address> provider);

    /**
     * What subscribing to {@code provider}'s plan for {@code months} would cost and give, read from the market, without
     * paying.
     *
     * @throws io.turnpike.core.TurnpikeException {@code setting_missing} without turnpike.chain.market;
     *     {@code bad_argument} for a provider not registered, a plan it does not have, months the plan cannot sell
     */
    SubscriptionPurchase quoteSubscription(Address provider, long planId, long months);

    /**
     * Pays that subscription from the node's wallet and returns once the chain confirmed it
     * (turnpike.chain.confirmations deep, as a provider honours it). Renewing is the same: counted on from the expiry.
     *
     * @throws io.turnpike.core.TurnpikeException as {@link #quoteSubscription}; {@code insufficient_funds} when the
     *     wallet holds less than the price, nothing sent
     */
    SubscriptionPurchase subscribe(Address provider, long planId, long months);

    /** What clients used of each service this node sells, priced, per UTC day over the last {@link EarningsView#DAYS}. */
    EarningsView earnings();

    /** The configured watchtowers and what each holds for this node, as its receipts prove; empty without any. */
    List<TowerHoldings> towers();

    /** The transactions the node is sending or waiting on, with how many confirmations each has of those it needs. */
    List<TransactionView> transactions();

    /**
     * Opens a channel to {@code partner} with {@code deposit}; returns once the opening is confirmed. Unless
     * {@code force}, only to a partner connected to this node: an address no node answers at would hold the deposit
     * until a close's challenge period ends.
     *
     * @throws io.turnpike.core.TurnpikeException {@code partner_not_connected} without {@code force}; nothing sent
     */
    ChannelView openChannel(Address partner, Amount deposit, boolean force);

    /** What each channel action would cost in network fees if sent now, at most. */
    FeeEstimates fees();

    /**
     * Closes a channel: cooperatively if the partner signs in time, else (or with {@code force}) by a
     * unilateral close that settles after the challenge period.
     */
    ChannelView closeChannel(long channelId, boolean force);

    /** Deposits {@code more} into this node's side of an open channel; returns once the deposit is confirmed. */
    ChannelView depositChannel(long channelId, Amount more);

    /**
     * Withdraws {@code amount} from this node's side of an open channel, co-signed by the partner, which must be
     * connected; returns once the withdrawal is confirmed on chain.
     */
    ChannelView withdrawChannel(long channelId, Amount amount);

    /** What "pay debts now" would send to {@code peer}, without sending it. */
    PaymentPreview previewPayment(Address peer);

    /** Pays everything owed to {@code peer} now and waits for the peer's receipt. */
    PaymentResult payNow(Address peer);

    /**
     * Sends {@code fetch} from this node and, on a 402 (x402), pays it within the caps — through the node's channel to
     * the payee if it has one, else with {@code exact} — and sends it again.
     */
    PaywallClient.Answer fetchPaying(HttpFetch fetch);

    /** The node's metrics in Prometheus' text format: counters, gauges, histograms (docs/api.md, Metrics). */
    String metrics();
}
