package io.turnpike.node.daemon;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.control.ServiceView;
import io.turnpike.node.control.ServicesView;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.control.WalletView;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.provider.Provider;
import io.turnpike.node.wallet.Wallet;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.rpc.RpcFront;
import java.time.Duration;
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
                c.capacity(), c.buffer(), c.bufferLimit(), price)).toList();
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
    public ChannelView openChannel(Address partner, Amount deposit) {
        // On the caller's thread: it waits for the chain, which no peer's executor does.
        Channel opened = node.channelChain().open(partner, deposit);
        Peer peer = node.peers().of(partner);
        return view(peer.await(() -> peer.channels().adopt(opened)));
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
