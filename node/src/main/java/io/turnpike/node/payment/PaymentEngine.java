package io.turnpike.node.payment;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.accounting.PayerDebt;
import io.turnpike.core.accounting.PaymentPolicy;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.node.channel.ChannelChain;
import io.turnpike.node.channel.PeerChannels;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.ServiceView;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.node.service.PricedUse;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.SessionToken;
import io.turnpike.protocol.PeerMessage.Statement;
import io.turnpike.protocol.PeerMessage.Throttle;
import io.turnpike.relay.RelayRoute;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerDelta;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.LedgerStore;
import io.turnpike.store.ProviderHistoryStore;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paying side of the debt keeper (DESIGN §4): meters what this node uses through each provider, pays early
 * over the provider's open channel — one payment in flight, the whole amount owed — and resyncs on reconnect.
 * Every step for a provider runs on that provider's {@link Peer#executor()}; the channel's state is its
 * {@link PeerChannels}' alone, so a proof is written down before it is sent and none is signed on a channel that
 * is not open. A channel that closes is replaced by a new one as long as this node still buys. A provider
 * configured for direct settlement is paid by on-chain transfers instead ({@link DirectPayments}).
 */
public final class PaymentEngine {

    private static final Logger LOG = LoggerFactory.getLogger(PaymentEngine.class);
    /**
     * How long after the provider offered a price a charge at it is still taken as admitted then: past the entry's
     * longest wait for the front, so a slow request admitted before the price moved is still priced as admitted.
     */
    static final Duration ADMITTED_PRICE_WINDOW = Duration.ofMinutes(2);
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);
    private static final Duration STUCK_AFTER = Duration.ofSeconds(10);
    private static final Duration REOPEN_EVERY = Duration.ofSeconds(10);

    private final PrivateKey key;
    private final Peers peers;
    private final ChannelChain chain;
    private final LedgerStore ledger;
    private final PaymentPolicy policy;
    private final Asset asset;
    private final Amount deposit;
    private final Amount topUpBelow;
    private final Clock clock;
    private final Executor background;
    private final DirectPayments direct;
    private final MetricsTracker metrics;
    private final ProviderHistoryStore histories;
    private final Map<Address, ProviderLink> links = new ConcurrentHashMap<>();
    /** Set once the node stops: the connections it closes then are no provider's fault. */
    private volatile boolean stopping;

    public PaymentEngine(PrivateKey key, Peers peers, ChannelChain chain, LedgerStore ledger, PaymentPolicy policy,
                         Asset asset, Amount deposit, Amount topUpBelow, Clock clock, Executor background,
                         DirectPayments direct, MetricsTracker metrics, ProviderHistoryStore histories) {
        this.metrics = metrics;
        this.histories = histories;
        this.key = key;
        this.peers = peers;
        this.chain = chain;
        this.ledger = ledger;
        this.policy = policy;
        this.asset = asset;
        this.deposit = deposit;
        this.topUpBelow = topUpBelow;
        this.clock = clock;
        this.background = background;
        this.direct = direct;
    }

    /** Registers a provider to buy from; its debt is read back from the store. */
    public void addProvider(Address provider, InetSocketAddress relay, NodeConfig.Settlement settlement) {
        Peer peer = peers.keep(provider);
        Amount used = ledger.get(ledgerKey(provider)).used();
        Amount inFlight = direct.resume(provider);
        // What the proofs commit counts as paid; a provider that missed the newest gets it again at resync.
        Amount paid = committed(peer.channels()).plus(direct.acknowledged(provider));
        ProviderLink link = new ProviderLink(peer, relay, settlement == NodeConfig.Settlement.DIRECT,
                new PayerDebt(used, paid, inFlight, clock.instant()));
        link.history = histories.all().getOrDefault(provider, ProviderHistory.CLEAN);
        links.put(provider, link);
    }

    /** The node is stopping: connections closing from now on are not counted against their providers. */
    public void stopping() {
        stopping = true;
    }

    public boolean buysFrom(Address peer) {
        return links.containsKey(peer);
    }

    // ---------------------------------------------------------------- peer messages, on the provider's executor

    /** Handles a message from a provider; returns false if it is not one this side handles. */
    public boolean onMessage(PeerConnection connection, PeerMessage message) {
        ProviderLink link = links.get(connection.remote());
        if (link == null) {
            return false;
        }
        switch (message) {
            case Offer offer -> offered(link, connection, offer);
            case ChannelSync sync -> {
                if (link.peer.channels().get(sync.channelId()).map(c -> c.role() != Role.A).orElse(false)) {
                    return false; // a channel the provider opened to this node: the selling side's
                }
                resync(link, sync);
            }
            case SessionToken token -> {
                link.sessionTokens.put(token.service(), token.token());
                if (token.service().equals(BandwidthService.NAME)) {
                    link.route = new RelayRoute(link.provider(), link.relay, key.address(), token.token());
                }
            }
            case Receipt receipt -> acknowledged(link, receipt);
            case Statement statement -> stated(link, statement);
            case Throttle throttle -> {
                if (!throttle.tier().equals(link.tier)) {
                    // The rate is in each service's own unit (bytes, cost units) per second; 0 at full speed.
                    LOG.info("provider {} put this node in tier {}{}", link.provider(), throttle.tier(),
                            throttle.rate() == 0 ? "" : " (" + throttle.rate() + " units a second)");
                }
                link.tier = throttle.tier();
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The provider's connection closed. */
    public void onClosed(Address provider) {
        ProviderLink link = links.get(provider);
        if (link == null) {
            return;
        }
        link.route = null;
        link.sessionTokens.clear();
        if (link.offeredOn != null && !stopping) {
            misbehaved(link, new ProviderHistory(0, 0, 1), "its connection dropped");
        }
        link.offeredOn = null;
        // A proof in flight is resent at the next resync if the provider missed it. A direct payment may still fail
        // on chain, so it stays in flight until the provider acknowledges it.
        if (link.debt.hasPaymentInFlight() && !direct.isPaying(provider)) {
            link.debt = link.debt.acknowledged();
            link.inFlightChannel = 0;
        }
    }

    private void offered(ProviderLink link, PeerConnection connection, Offer offer) {
        if (!offer.asset().token().equals(asset.token())) {
            throw new TurnpikeException(ErrorCode.MALFORMED_MESSAGE, "this node pays in " + asset.symbol()
                    + ", the offer is in " + offer.asset().symbol());
        }
        Instant now = clock.instant();
        offer.services().forEach(terms -> link.offeredPrices.put(new PricedUse(terms.service(),
                terms.pricePerUnit()), now));
        if (link.offer != null && connection == link.offeredOn) {
            // A price moved: the new terms price what is used from now on; the connection is set up already.
            price(link);
            link.offer = offer;
            return;
        }
        link.offer = offer;
        link.offeredOn = connection;
        // A new connection starts with a clean slate for choosing; what went wrong before stays in its history.
        link.misbehaving = false;
        link.overchargeCounted = false;
        direct.connected(link);
        reportUsage(link);
        if (link.direct) {
            requestSessions(link); // no channel to open first
            return;
        }
        link.peer.channels().open(Role.A).ifPresentOrElse(channel -> announce(link, channel), () -> openChannel(link));
    }

    /**
     * Opens a channel to the provider — the first, or the next once the last one closed. Waiting for the chain
     * happens in the background; the channel is adopted, and announced, on the provider's executor.
     */
    private void openChannel(ProviderLink link) {
        Instant now = clock.instant();
        if (link.opening || now.isBefore(link.lastOpenAttemptAt.plus(REOPEN_EVERY))) {
            return;
        }
        link.opening = true;
        link.lastOpenAttemptAt = now;
        background.execute(() -> {
            try {
                Channel opened = chain.open(link.provider(), deposit);
                link.peer.executor().execute(() -> {
                    link.opening = false;
                    if (link.peer.channels().get(opened.channelId()).isPresent()) {
                        // The chain still shows the last channel unsettled (a cooperative settle on its way).
                        LOG.debug("channel {} to {} is not settled on chain yet; a new one opens after",
                                opened.channelId(), link.provider());
                        return;
                    }
                    announce(link, link.peer.channels().adopt(opened));
                });
            } catch (RuntimeException e) {
                LOG.warn("cannot open a channel to {} yet: {}", link.provider(), e.getMessage());
                link.peer.executor().execute(() -> link.opening = false);
            }
        });
    }

    /** Tells the provider the channel and where this node's proofs stand, and asks for the sessions it lacks. */
    private void announce(ProviderLink link, Channel channel) {
        link.peer.send(new ChannelSync(channel.channelId(), channel.domain().chainId(),
                channel.domain().verifyingContract(), channel.sentNonce(), channel.receivedNonce()));
        requestSessions(link);
    }

    /**
     * Asks for a session on every service the provider offers and this connection has none for: a token costs nothing
     * until used, and a local entry may start using a service at any time.
     */
    private void requestSessions(ProviderLink link) {
        link.offer.services().stream().map(Offer.ServiceTerms::service)
                .filter(service -> !link.sessionTokens.containsKey(service))
                .forEach(service -> link.peer.send(new SessionRequest(service)));
    }

    /**
     * Tells a provider, on every (re)connection, how much this node has metered through it: a provider that was
     * killed between two of its accounting ticks lost the last of its own metering, and takes the larger figure.
     * Reporting more use only ever costs the reporter.
     */
    private void reportUsage(ProviderLink link) {
        price(link);
        link.peer.send(new Statement(link.debt.used(), link.debt.paid(), link.debt.owed(), link.usage.items().stream()
                .map(i -> new Statement.ServiceUsage(i.service(), i.units(), i.cost())).toList()));
    }

    /** The provider's view of the channel: resend the newest proof if it is behind and the channel still open. */
    private void resync(ProviderLink link, ChannelSync sync) {
        Channel channel = link.peer.channels().get(sync.channelId()).orElseThrow(() -> new TurnpikeException(
                ErrorCode.UNKNOWN_CHANNEL, "channel " + sync.channelId() + " is not a channel this node pays through"));
        if (sync.receivedNonce() < channel.sentNonce() && channel.isOpen()) {
            LOG.info("provider {} holds nonce {} of channel {}, resending nonce {}", link.provider(),
                    sync.receivedNonce(), channel.channelId(), channel.sentNonce());
            link.peer.send(new Pay(channel.sent().orElseThrow()));
        } else if (link.debt.hasPaymentInFlight() && link.inFlightChannel == channel.channelId()
                && sync.receivedNonce() >= channel.sentNonce()) {
            // The provider holds the newest proof: its receipt was lost, the payment went through.
            receiptFor(link, channel.sentTotal());
        }
    }

    private void acknowledged(ProviderLink link, Receipt receipt) {
        Optional<Channel> channel = link.peer.channels().get(receipt.channelId());
        if (channel.isEmpty() || receipt.channelId() != link.inFlightChannel || receipt.nonce() != channel.get().sentNonce()) {
            return; // a receipt for an older proof: the newer one's receipt settles it
        }
        LOG.debug("provider {} acknowledged nonce {} of channel {}: {} in total", link.provider(), receipt.nonce(),
                receipt.channelId(), receipt.credited());
        receiptFor(link, receipt.credited());
    }

    private void receiptFor(ProviderLink link, Amount credited) {
        if (!link.debt.hasPaymentInFlight()) {
            return;
        }
        link.debt = link.debt.acknowledged();
        link.inFlightChannel = 0;
        metrics.acknowledged(Duration.between(link.debt.lastPaymentAt(), clock.instant()));
        link.receipt.complete(credited);
    }

    private void stated(ProviderLink link, Statement statement) {
        direct.stated(link, statement);
        price(link);
        if (link.offer == null) {
            return;
        }
        PaymentPolicy.StatementCheck check = policy.check(link.debt, statement.used(), statement.debt(),
                link.offer.paymentThreshold());
        if (!check.agreed()) {
            LOG.warn("provider {} counts usage of {}, this node's meter {}: beyond tolerance, paying only its own figure",
                    link.provider(), check.providerUsed(), check.ownUsed());
            if (check.providerUsed().isGreaterThan(check.ownUsed()) && !link.overchargeCounted) {
                // Once per connection: its statements repeat the same claim until the meters agree again. Counting
                // less than this node's meter harms only the provider, and is not held against it.
                link.overchargeCounted = true;
                misbehaved(link, new ProviderHistory(1, 0, 0), "it charged for more than this node used");
            }
        } else if (!check.toPay().isZero() && canPay(link)) {
            // The meters agree: settle the provider's figure, which covers bytes this node has not priced yet.
            pay(link, check.toPay());
        }
    }

    /**
     * The provider answered with an error. While a payment is in flight, the error is taken as its answer to that
     * proof: the payment stays in flight (a resync settles it), and the provider is counted as refusing a proof.
     */
    public void refused(Address provider, PeerMessage.ErrorMessage error) {
        ProviderLink link = links.get(provider);
        if (link != null && !link.direct && link.debt.hasPaymentInFlight()) {
            misbehaved(link, new ProviderHistory(0, 1, 0), "it refused this node's payment [" + error.code() + "]");
        }
    }

    /** Written down before anything else reads it, so that a restart still knows; new traffic goes elsewhere. */
    private void misbehaved(ProviderLink link, ProviderHistory events, String what) {
        link.history = histories.add(link.provider(), events);
        if (events.disconnects() == 0) {
            link.misbehaving = true;
            LOG.warn("provider {}: {}; new connections and requests go to another provider while there is one",
                    link.provider(), what);
        }
    }

    // ---------------------------------------------------------------- metering and paying

    /** {@code units} of {@code service} used through {@code provider}, from a local entry's meter; any thread. */
    public void metered(Address provider, String service, long units) {
        ProviderLink link = links.get(provider);
        if (link != null) {
            link.unpriced.computeIfAbsent(service, s -> new AtomicLong()).addAndGet(units);
        }
    }

    /**
     * {@code units} of {@code service} used through {@code provider} at the price it charged them at: at most the
     * highest it offered within {@link #ADMITTED_PRICE_WINDOW} (a request admitted before the price moved pays the price
     * it was admitted at); any thread. A price above that waits to be priced until an offer names it.
     */
    public void metered(Address provider, String service, long units, Amount pricePerUnit) {
        ProviderLink link = links.get(provider);
        if (link != null) {
            link.priced.computeIfAbsent(new PricedUse(service, pricePerUnit), s -> new AtomicLong()).addAndGet(units);
        }
    }

    /** Prices what was relayed since the last tick and pays whatever is due, each provider on its own executor. */
    public void tick() {
        for (ProviderLink link : links.values()) {
            link.peer.executor().execute(() -> tick(link));
        }
    }

    private void tick(ProviderLink link) {
        try {
            price(link);
            direct.advance(link);
            settleFinishedChannels(link);
            if (!link.direct && link.peer.isConnected() && link.offer != null
                    && link.peer.channels().open(Role.A).isEmpty()) {
                openChannel(link);
            }
            if (canPay(link)) {
                policy.due(link.debt, link.offer.paymentThreshold(), clock.instant()).ifPresent(amount -> pay(link, amount));
            }
            topUpIfLow(link);
            resyncIfStuck(link);
        } catch (RuntimeException e) {
            LOG.warn("paying {} failed: {}", link.provider(), e.getMessage());
        }
    }

    /**
     * A payment in flight on a channel that closed on chain will never be acknowledged: what the chain settles with
     * is what was paid, and the rest is owed again, through the next channel.
     */
    private void settleFinishedChannels(ProviderLink link) {
        if (link.inFlightChannel == 0) {
            return;
        }
        ChannelStatus status = link.peer.channels().get(link.inFlightChannel).map(Channel::status)
                .orElse(ChannelStatus.SETTLED);
        if (status == ChannelStatus.CLOSED || status == ChannelStatus.SETTLED) {
            Amount paid = committed(link.peer.channels()).plus(direct.acknowledged(link.provider()));
            LOG.info("channel {} to {} closed with a payment unacknowledged; the chain counts {} paid in all",
                    link.inFlightChannel, link.provider(), paid);
            link.debt = new PayerDebt(link.debt.used(), paid, Amount.ZERO, link.debt.lastPaymentAt());
            link.inFlightChannel = 0;
            link.receipt.completeExceptionally(new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN,
                    "the channel closed before the provider acknowledged the payment; what is owed is paid again"));
        }
    }

    private boolean canPay(ProviderLink link) {
        return link.peer.isConnected() && link.offer != null
                && (link.direct || link.peer.channels().open(Role.A).isPresent());
    }

    /**
     * A payment unacknowledged for long — its receipt lost, or the provider refused it (it may not have seen a
     * top-up yet) — is neither forgotten nor paid again: a resync asks the provider what it holds, and the
     * answer either acknowledges it or has the same proof sent again. Once per {@link #STUCK_AFTER}.
     */
    private void resyncIfStuck(ProviderLink link) {
        Instant now = clock.instant();
        if (link.direct || !link.debt.hasPaymentInFlight() || !link.peer.isConnected()
                || now.isBefore(link.debt.lastPaymentAt().plus(STUCK_AFTER))
                || now.isBefore(link.lastResyncAt.plus(STUCK_AFTER))) {
            return;
        }
        link.peer.channels().get(link.inFlightChannel).filter(Channel::isOpen).ifPresent(channel -> {
            link.lastResyncAt = now;
            announce(link, channel);
        });
    }

    /** Deposits more when the channel runs low; on chain, so in the background. */
    private void topUpIfLow(ProviderLink link) {
        Optional<Channel> open = link.peer.channels().open(Role.A);
        if (open.isEmpty() || link.toppingUp || !open.get().spendable().isLessThan(topUpBelow)) {
            return;
        }
        link.toppingUp = true;
        Channel channel = open.get();
        background.execute(() -> {
            try {
                var own = chain.topUp(channel, deposit);
                link.peer.executor().execute(() -> {
                    link.toppingUp = false;
                    Channel current = link.peer.channels().get(channel.channelId()).orElseThrow();
                    link.peer.channels().apply(channel.channelId(), new Channel.TotalsRead(own, current.partnerSide()));
                    LOG.info("topped up channel {} to {} to {}", channel.channelId(), link.provider(), own.deposit());
                });
            } catch (RuntimeException e) {
                LOG.warn("topping up the channel to {} failed: {}", link.provider(), e.getMessage());
                link.peer.executor().execute(() -> link.toppingUp = false);
            }
        });
    }

    /** Prices each service's use at the provider's offered price, into the one debt and its itemisation. */
    private void price(ProviderLink link) {
        if (link.offer == null) {
            return;
        }
        Amount total = Amount.ZERO;
        for (Map.Entry<String, AtomicLong> unpriced : link.unpriced.entrySet()) {
            Optional<Offer.ServiceTerms> terms = link.offer.terms(unpriced.getKey());
            // Priced under terms received: a service the offer does not list stays unpriced until one does.
            long units = terms.isPresent() ? unpriced.getValue().getAndSet(0) : 0;
            total = total.plus(itemise(link, unpriced.getKey(), units, terms.map(Offer.ServiceTerms::pricePerUnit)
                    .orElse(Amount.ZERO)));
        }
        Instant since = clock.instant().minus(ADMITTED_PRICE_WINDOW);
        link.offeredPrices.values().removeIf(offeredAt -> offeredAt.isBefore(since));
        for (Map.Entry<PricedUse, AtomicLong> priced : link.priced.entrySet()) {
            PricedUse use = priced.getKey();
            // At most a price offered lately: a higher one waits for the offer that names it.
            long units = use.pricePerUnit().isGreaterThan(highestOffered(link, use.service())) ? 0
                    : priced.getValue().getAndSet(0);
            total = total.plus(itemise(link, use.service(), units, use.pricePerUnit()));
        }
        if (!total.isZero()) {
            ledger.adjust(ledgerKey(link.provider()), LedgerDelta.NONE.withUsed(total.value()));
            link.debt = link.debt.meter(total);
        }
    }

    /** {@code units} of {@code service} at {@code pricePerUnit}, into the link's itemised usage; returns their cost. */
    private static Amount itemise(ProviderLink link, String service, long units, Amount pricePerUnit) {
        if (units == 0) {
            return Amount.ZERO;
        }
        Amount cost = pricePerUnit.times(units);
        link.usage = link.usage.plus(service, units, cost);
        return cost;
    }

    /** The highest price per unit of {@code service} the provider offered lately, its current offer's included. */
    private static Amount highestOffered(ProviderLink link, String service) {
        Amount now = link.offer.terms(service).map(Offer.ServiceTerms::pricePerUnit).orElse(Amount.ZERO);
        return link.offeredPrices.keySet().stream().filter(use -> use.service().equals(service))
                .map(PricedUse::pricePerUnit).reduce(now, Amount::max);
    }

    /** Signs and sends the next proof, written down first; returns the future of the provider's receipt. */
    private CompletableFuture<Amount> pay(ProviderLink link, Amount amount) {
        if (link.direct) {
            return direct.pay(link, amount);
        }
        if (link.debt.hasPaymentInFlight()) {
            return link.receipt;
        }
        Channel channel = link.peer.channels().open(Role.A).orElseThrow(() -> new TurnpikeException(
                ErrorCode.CHANNEL_NOT_OPEN, "no open channel to " + link.provider() + "; a new one opens when it can"));
        Amount paying = amount.min(channel.spendable());
        if (paying.isZero()) {
            throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "the channel to " + link.provider()
                    + " is spent; deposit more to keep paying");
        }
        link.peer.channels().apply(channel.channelId(), new Channel.Pay(paying, key));
        link.debt = link.debt.sending(paying, clock.instant());
        link.inFlightChannel = channel.channelId();
        link.receipt = new CompletableFuture<>();
        return link.receipt;
    }

    /**
     * A request this node paid for in the request itself, through its channel to {@code provider}
     * ({@link PeerChannels#payOutOfBand}), the cost already in the ledger: counted as {@code used} of {@code service}
     * and {@code paid} at once (a paywall's per-byte path may cost less than the proof paid; the rest is credit), so
     * that this node's figures keep matching the provider's statements. On the provider's executor; a provider this
     * node does not buy from has no figures to keep.
     */
    public void paidInRequest(Address provider, String service, Amount used, Amount paid) {
        ProviderLink link = links.get(provider);
        if (link != null) {
            link.usage = link.usage.plus(service, 1, used);
            link.debt = new PayerDebt(link.debt.used().plus(used), link.debt.paid().plus(paid), link.debt.inFlight(),
                    link.debt.lastPaymentAt());
        }
    }

    /** What this node's channels with a provider pay it: signed proofs while open, the chain's figures once closed. */
    private static Amount committed(PeerChannels channels) {
        return channels.all().stream().filter(c -> c.role() == Role.A).map(Channel::paid)
                .reduce(Amount.ZERO, Amount::plus);
    }

    // ---------------------------------------------------------------- for the local entry and the operator

    /** Whether a payment to {@code provider} is on its way, unacknowledged; on the provider's executor. */
    public boolean isPaying(Address provider) {
        ProviderLink link = links.get(provider);
        return link != null && link.debt.hasPaymentInFlight();
    }

    /** Where the local SOCKS5 entry sends a new connection to {@code provider}, once it issued a token; any thread. */
    public Optional<RelayRoute> route(Address provider) {
        ProviderLink link = links.get(provider);
        return link == null ? Optional.empty() : Optional.ofNullable(link.route);
    }

    /**
     * What choosing among the providers reads of each one this node buys from; any thread.
     *
     * @param offered the services of its latest offer, at its prices (none before its first)
     * @param sessions the services it issued this node a session for on the current connection
     * @param misbehaving it refused a proof or overcharged on its current connection
     */
    public record Bought(Address provider, boolean connected, List<Offer.ServiceTerms> offered, Set<String> sessions,
                         ProviderHistory history, boolean misbehaving) {

        public boolean serves(String service) {
            return connected && sessions.contains(service);
        }
    }

    public List<Bought> bought() {
        return links.values().stream().map(link -> {
            Offer offer = link.offer;
            return new Bought(link.provider(), link.peer.isConnected(), offer == null ? List.of() : offer.services(),
                    Set.copyOf(link.sessionTokens.keySet()), link.history, link.misbehaving);
        }).toList();
    }

    /** The terms of {@code service} in {@code provider}'s latest offer, if it sells it; any thread. */
    public Optional<Offer.ServiceTerms> terms(Address provider, String service) {
        ProviderLink link = links.get(provider);
        Offer offer = link == null ? null : link.offer;
        return offer == null ? Optional.empty() : offer.terms(service);
    }

    /** The token {@code provider} issued this node for {@code service} on the current connection; any thread. */
    public Optional<String> sessionToken(Address provider, String service) {
        ProviderLink link = links.get(provider);
        return link == null ? Optional.empty() : Optional.ofNullable(link.sessionTokens.get(service));
    }

    public PaymentPreview preview(Address provider) {
        ProviderLink link = link(provider);
        return link.peer.await(() -> {
            price(link);
            long channelId = link.direct ? 0 : link.peer.channels().open(Role.A).map(Channel::channelId)
                    .orElseThrow(() -> new ControlException(ErrorCode.NO_CHANNEL, "no open channel to " + provider
                            + " right now; is it connected? A new one opens once the last has settled"));
            // What is in flight is on its way: the preview is what a new payment would add.
            return new PaymentPreview(provider, link.debt.owed().saturatingMinus(link.debt.inFlight()), asset,
                    channelId);
        });
    }

    /** "Pay debts now": pays everything owed and waits for the provider's receipt. */
    public PaymentResult payNow(Address provider) {
        ProviderLink link = link(provider);
        CompletableFuture<Amount> receipt = link.peer.await(() -> {
            price(link);
            if (link.debt.hasPaymentInFlight()) {
                return link.receipt; // the payment on its way covers what was owed when it left
            }
            if (link.debt.owed().isZero()) {
                throw ControlException.nothingOwed(provider);
            }
            if (!canPay(link)) {
                throw new ControlException(ErrorCode.NO_CHANNEL, "cannot pay " + provider + " now: it is not connected"
                        + " or no channel to it is open");
            }
            return pay(link, link.debt.owed());
        });
        Amount sent;
        try {
            sent = receipt.get(RECEIPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ControlException(ErrorCode.NO_RECEIPT, "the payment was sent but " + provider
                    + " did not acknowledge it within " + RECEIPT_WAIT.toSeconds() + " s; it will be resent on reconnect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ErrorCode.STOPPING, "interrupted while waiting for the receipt");
        } catch (ExecutionException e) {
            // The payment's own coded failure (the channel closed under it, the transfer never confirmed).
            throw e.getCause() instanceof TurnpikeException coded ? coded
                    : new TurnpikeException(ErrorCode.INTERNAL, "the payment failed: " + e.getCause(), e.getCause());
        }
        return link.peer.await(() -> {
            Channel channel = link.peer.channels().open(Role.A).orElse(null);
            return new PaymentResult(provider, sent, asset, channel == null ? 0 : channel.channelId(),
                    channel == null ? 0 : channel.sentNonce(), link.debt.paid(), link.debt.owed());
        });
    }

    /** The services each provider offered this node, at the prices of its latest offer; none before its first. */
    public List<ServiceView> offered() {
        return links.values().stream().flatMap(link -> link.peer.await(() -> link.offer == null
                ? List.<ServiceView>of()
                : link.offer.services().stream().map(terms -> new ServiceView(link.provider(), terms.service(),
                        terms.unit(), terms.pricePerUnit())).toList()).stream()).toList();
    }

    public List<PeerView> views() {
        return links.values().stream().map(link -> link.peer.await(() -> {
            PayerDebt d = link.debt;
            return new PeerView(link.provider(), link.peer.isConnected(), "provider", link.tier, d.used(), d.paid(),
                    d.owed(), d.credit(), d.inFlight(), link.peer.channels().open(Role.A).map(Channel::channelId));
        })).toList();
    }

    private ProviderLink link(Address provider) {
        ProviderLink link = links.get(provider);
        if (link == null) {
            throw ControlException.unknownPeer(provider);
        }
        return link;
    }

    private LedgerKey ledgerKey(Address provider) {
        return new LedgerKey(provider, asset.token(), Debtor.US);
    }
}
