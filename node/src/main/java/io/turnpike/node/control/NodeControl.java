package io.turnpike.node.control;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.node.paywall.PaywallClient;
import java.util.List;

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

    /** Opens a channel to {@code partner} with {@code deposit}; returns once the opening is confirmed. */
    ChannelView openChannel(Address partner, Amount deposit);

    /**
     * Closes a channel: cooperatively if the partner signs in time, else (or with {@code force}) by a
     * unilateral close that settles after the challenge period.
     */
    ChannelView closeChannel(long channelId, boolean force);

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
