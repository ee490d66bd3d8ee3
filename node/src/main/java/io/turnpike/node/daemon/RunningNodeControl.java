package io.turnpike.node.daemon;

import io.turnpike.chain.market.MarketContract;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.EarningsView;
import io.turnpike.node.control.FeeEstimates;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.ProviderPin;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.control.ServiceView;
import io.turnpike.node.control.ServicesView;
import io.turnpike.node.control.SubscriptionPurchase;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.control.TransactionView;
import io.turnpike.node.control.WalletView;
import io.turnpike.node.channel.ChannelCall;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.provider.Provider;
import io.turnpike.node.tower.TowerHoldings;
import io.turnpike.node.wallet.PlanPurchase;
import io.turnpike.node.wallet.Wallet;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.rpc.RpcFront;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link NodeControl} over a running {@link TurnpikeNode}. */
public final class RunningNodeControl implements NodeControl {

    private static final Logger LOG = LoggerFactory.getLogger(RunningNodeControl.class);
    private static final Duration COSIGN_WAIT = Duration.ofSeconds(20);
    private static final Duration CHAIN_WAIT = Duration.ofMinutes(2);
    /** Long enough to gather confirmations, short enough that the partner counts the money as gone only briefly. */
    private static final Duration WITHDRAW_EXPIRY_AHEAD = Duration.ofMinutes(5);
    /** A payment may leave between paying the debt and proposing; the close tries again this often. */
    private static final int SETTLE_ATTEMPTS = 3;

    private final TurnpikeNode node;

    public RunningNodeControl(TurnpikeNode node) {
        this.node = node;
    }

    @Override
    public NodeStatus status() {
        var context = node.context();
        // What it sells, by name, as docs/api.md has it; what it buys and every price are /api/services.
        List<String> services = new ArrayList<>();
        node.provider().ifPresent(p -> services.addAll(p.services()));
        return new NodeStatus(context.key().address(), context.chain().chainId(), node.contract().address(),
                context.chain().rpc().head(), context.chain().rpc().isStale(), context.config().asset(), services,
                node.localSocksPort().orElse(null), node.relayPort().orElse(null), node.peerPort());
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> views = new ArrayList<>();
        node.payments().ifPresent(p -> views.addAll(p.views()));
        node.provider().ifPresent(p -> views.addAll(p.views()));
        return views;
    }

    @Override
    public List<ChannelView> channels() {
        return node.channels().stream().map(RunningNodeControl::view).toList();
    }

    @Override
    public WalletView wallet() {
        var context = node.context();
        NodeConfig config = context.config();
        Address self = context.key().address();
        // What is the node's own in a channel comes back to the wallet when it settles: counted until then.
        Amount inChannels = node.channels().stream()
                .filter(c -> c.status() != ChannelStatus.SETTLED && c.token().equals(config.asset().token()))
                .map(Channel::spendable).reduce(Amount.ZERO, Amount::plus);
        return new WalletView(self, config.asset(), new Wallet(context.chain(), config).balances(self), inChannels,
                config.wallet().lowBalance());
    }

    @Override
    public ServicesView services() {
        Address self = node.context().key().address();
        Optional<Offer> selling = node.provider().map(Provider::offer);
        List<ServiceView> sold = selling.map(offer -> offer.services().stream()
                .map(terms -> new ServiceView(self, terms.service(), terms.unit(), terms.pricePerUnit())).toList())
                .orElse(List.of());
        return new ServicesView(sold, selling.map(Offer::paymentThreshold),
                node.payments().map(PaymentEngine::offered).orElse(List.of()),
                node.rpcFront().map(RunningNodeControl::rpcClients).orElse(List.of()));
    }

    private static List<RpcClientView> rpcClients(RpcFront front) {
        Amount price = front.price();
        return front.clients().stream().map(c -> new RpcClientView(c.client(), c.paid() ? "paid" : "free",
                c.capacity(), c.buffer(), c.bufferLimit(), price, c.notificationsDropped())).toList();
    }

    @Override
    public List<RefusalView> refusals() {
        return node.metrics().recentRefusals();
    }

    @Override
    public List<SubscriptionView> subscriptions() {
        return node.subscriptions();
    }

    @Override
    public SubscriptionPurchase quoteSubscription(Address provider, long planId, long months) {
        PlanPurchase purchase = purchase(provider, planId, months);
        return new SubscriptionPurchase(provider, planId, months, asset(purchase.plan().asset()), purchase.price(),
                purchase.expiresAt(), Optional.empty());
    }

    /** On the caller's thread, like opening a channel: it waits for the chain, which no peer's executor does. */
    @Override
    public SubscriptionPurchase subscribe(Address provider, long planId, long months) {
        var context = node.context();
        PlanPurchase purchase = purchase(provider, planId, months);
        Asset asset = asset(purchase.plan().asset());
        Wallet wallet = new Wallet(context.chain(), context.config());
        wallet.requireFunds(context.key().address(), asset, purchase.price());
        MarketContract.Subscription paid = purchase.pay(node.transactions());
        // A provider honours a subscription only this deep: the answer waits for it, as an opening channel's does.
        wallet.awaitConfirmations(paid.receipt(), depth -> { });
        return new SubscriptionPurchase(provider, planId, months, asset, purchase.price(),
                Instant.ofEpochSecond(paid.event().expiresAt()), Optional.of(Bytes32.fromHex(paid.receipt().hash())));
    }

    private PlanPurchase purchase(Address provider, long planId, long months) {
        var context = node.context();
        Address market = context.config().chain().market().orElseThrow(() -> new TurnpikeException(
                ErrorCode.SETTING_MISSING, "this node has no market: set turnpike.chain.market to the TurnpikeMarket "
                + "contract to subscribe"));
        return PlanPurchase.quote(context.chain(), market, provider, planId, months, context.key().address());
    }

    /** A plan's asset as this node knows it: ether, or a configured token (else its smallest unit, unnamed). */
    private Asset asset(Address token) {
        List<Asset> known = node.context().config().tokens();
        return token.isZero() ? Asset.ETH : known.stream().filter(a -> a.token().equals(token)).findFirst()
                .orElse(Asset.erc20("units of " + token, token, 0));
    }

    @Override
    public EarningsView earnings() {
        LocalDate today = LocalDate.ofInstant(node.clock().instant(), ZoneOffset.UTC);
        LocalDate from = today.minusDays(EarningsView.DAYS - 1L);
        Address token = node.context().config().asset().token();
        return new EarningsView(from, today, node.context().store().ledger().earningsSince(from).stream()
                .filter(e -> e.token().equals(token))
                .map(e -> new EarningsView.Day(e.day(), e.service(), e.earned())).toList());
    }

    @Override
    public List<TowerHoldings> towers() {
        return node.towerHoldings();
    }

    @Override
    public List<TransactionView> transactions() {
        var context = node.context();
        int required = context.config().chain().confirmations();
        long head = context.chain().rpc().head();
        return context.store().transactions().listNonFinal().stream().map(tx -> {
            Optional<ChannelCall> call = tx.tx().to().equals(node.contract().address())
                    ? ChannelCall.of(tx.tx().data()) : Optional.empty();
            int deep = tx.block().map(b -> (int) Math.min(required, Math.max(0, head - b.number() + 1))).orElse(0);
            return new TransactionView(call.map(ChannelCall::purpose).orElse(tx.tx().purpose()),
                    call.flatMap(ChannelCall::channelId), tx.tx().hash(), tx.status().name(), deep, required,
                    tx.tx().maxFeePerGas());
        }).toList();
    }

    @Override
    public ProvidersView providers() {
        return node.providerChoice().view();
    }

    @Override
    public ProviderPin pinProvider(String service, Optional<Address> provider) {
        return node.providerChoice().pin(service, provider);
    }

    @Override
    public ChannelView openChannel(Address partner, Amount deposit, boolean force) {
        Peer peer = node.peers().of(partner);
        if (!force && !peer.isConnected()) {
            throw new ControlException(ErrorCode.PARTNER_NOT_CONNECTED, partner + " is not connected to this node, so "
                    + "nothing shows a node answers there; a deposit to an address nobody uses stays locked until a "
                    + "close's challenge period ends. Connect it first (as a provider in turnpike.client.providers, or "
                    + "let it connect as a client), or open anyway: channel open --force, \"force\": true in the API. "
                    + "Nothing was sent");
        }
        // On the caller's thread: it waits for the chain, which no peer's executor does.
        Channel opened = node.channelChain().open(partner, deposit);
        return view(peer.await(() -> peer.channels().adopt(opened)));
    }

    @Override
    public FeeEstimates fees() {
        var context = node.context();
        return FeeEstimates.at(context.chain().feeQuote().maxFeePerGas(), !context.config().asset().isEther());
    }

    /**
     * Settles cooperatively unless {@code force}: a payer first pays what it owes and waits for the receipt, so the
     * payouts both sign include the last debt; then both freeze the channel and the settlement goes on chain. If the
     * partner is away, refuses or does not answer in time, the channel is closed on chain instead.
     */
    @Override
    public ChannelView closeChannel(long channelId, boolean force) {
        Peer peer = node.peers().owning(channelId).orElseThrow(() -> ControlException.unknownChannel(channelId));
        Channel channel = peer.await(() -> peer.channels().get(channelId).orElseThrow());
        if (!force && peer.isConnected()) {
            try {
                return view(settleCooperatively(peer, channel));
            } catch (TurnpikeException refused) {
                // The partner is away or disagrees: close on chain; the challenge period protects both sides.
                LOG.info("cooperative settle of channel {} failed ({}); closing on chain", channelId,
                        refused.getMessage());
            }
        }
        CompletableFuture<Channel> closed = peer.await(() -> peer.channels().close(channelId));
        return view(waitFor(closed, CHAIN_WAIT, "the close of channel " + channelId));
    }

    /** Tops up on the caller's thread, which waits for the chain; the peer's executor then takes the new totals. */
    @Override
    public ChannelView depositChannel(long channelId, Amount more) {
        Peer peer = node.peers().owning(channelId).orElseThrow(() -> ControlException.unknownChannel(channelId));
        Channel channel = peer.await(() -> peer.channels().get(channelId).orElseThrow());
        if (!channel.isOpen()) {
            throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + channelId + " is " + channel.status()
                    + "; only an open channel takes a deposit");
        }
        ChannelSide own = node.channelChain().topUp(channel, more);
        LOG.info("channel {} with {}: deposited {} more, {} in total", channelId, peer.address(), more, own.deposit());
        Channel.TotalsRead totals = node.channelChain().totals(channel);
        return view(peer.await(() -> peer.channels().apply(channelId, totals).channel()));
    }

    /**
     * Asks the partner to co-sign, then puts the withdrawal on chain; the amount stops being spendable the moment it is
     * asked for. The expiry is {@link #WITHDRAW_EXPIRY_AHEAD} after the chain's newest block.
     */
    @Override
    public ChannelView withdrawChannel(long channelId, Amount amount) {
        Peer peer = node.peers().owning(channelId).orElseThrow(() -> ControlException.unknownChannel(channelId));
        if (!peer.isConnected()) {
            throw new TurnpikeException(ErrorCode.NO_CHANNEL, "the partner of channel " + channelId + ", "
                    + peer.address() + ", is not connected, and a withdrawal needs its signature; try again once it is,"
                    + " or close the channel");
        }
        long expiry = node.context().chain().latestBlock().getTimestamp().longValueExact()
                + WITHDRAW_EXPIRY_AHEAD.toSeconds();
        CompletableFuture<Channel> withdrawn = peer.await(() -> peer.channels().requestWithdraw(channelId, amount,
                expiry));
        return view(waitFor(withdrawn, COSIGN_WAIT.plus(CHAIN_WAIT), "the withdrawal from channel " + channelId));
    }

    private Channel settleCooperatively(Peer peer, Channel channel) {
        long channelId = channel.channelId();
        boolean paying = channel.role() == Role.A && node.payments().map(p -> p.buysFrom(peer.address())).orElse(false);
        for (int attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
            if (paying) {
                payDebt(peer.address());
            }
            CompletableFuture<Channel> settled = peer.await(() -> {
                if (paying && node.payments().orElseThrow().isPaying(peer.address())) {
                    return null; // a payment left meanwhile: wait for its receipt first
                }
                LOG.info("channel {} with {}: proposing a cooperative settle", channelId, peer.address());
                return peer.channels().proposeSettle(channelId);
            });
            if (settled != null) {
                return waitFor(settled, COSIGN_WAIT.plus(CHAIN_WAIT), "the cooperative settle of channel " + channelId);
            }
        }
        throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, "payments kept leaving on channel " + channelId
                + " while it was to be settled");
    }

    /** Pays what is owed and waits for the receipt; nothing owed is fine. */
    private void payDebt(Address provider) {
        try {
            node.payments().orElseThrow().payNow(provider);
        } catch (TurnpikeException e) {
            if (e.code() != ErrorCode.NOTHING_OWED) {
                throw e;
            }
        }
    }

    private static Channel waitFor(CompletableFuture<Channel> result, Duration wait, String what) {
        try {
            return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, what + " did not finish within " + wait.toSeconds()
                    + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof TurnpikeException t ? t
                    : new TurnpikeException(ErrorCode.OUT_OF_ORDER, what + " failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, "interrupted while waiting for " + what);
        }
    }

    @Override
    public PaywallClient.Answer fetchPaying(HttpFetch fetch) {
        NodeConfig.PaywallCaps configured = node.context().config().client().paywall();
        return node.paywallClient().fetch(fetch.toRequest(), new NodeConfig.PaywallCaps(
                fetch.maxPerRequest().orElse(configured.maxPerRequest()),
                fetch.maxPerDay().orElse(configured.maxPerDay())));
    }

    @Override
    public PaymentPreview previewPayment(Address peer) {
        return engine(peer).preview(peer);
    }

    @Override
    public PaymentResult payNow(Address peer) {
        return engine(peer).payNow(peer);
    }

    @Override
    public String metrics() {
        return node.metrics().scrape(status(), peers(), channels());
    }

    private PaymentEngine engine(Address peer) {
        return node.payments().filter(p -> p.buysFrom(peer)).orElseThrow(() -> ControlException.unknownPeer(peer));
    }

    private static ChannelView view(Channel channel) {
        return new ChannelView(channel.channelId(), channel.partner(), channel.token(), channel.status().name(),
                channel.own().deposit(), channel.partnerSide().deposit(), channel.paid(), channel.earned(),
                channel.isOpen() ? channel.spendable() : Amount.ZERO, channel.settleAt());
    }
}
