package io.turnpike.node.daemon;

import io.turnpike.core.ErrorCode;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.market.MarketContract;
import io.turnpike.chain.market.SubscriptionFollower;
import io.turnpike.chain.monitor.BalanceMonitor;
import io.turnpike.chain.monitor.BalanceReport;
import io.turnpike.chain.monitor.BalanceThresholds;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.chain.tx.TxConfig;
import io.turnpike.chain.watch.ChannelEventListener;
import io.turnpike.chain.watch.LogWatcher;
import io.turnpike.chain.watch.ObservedEvent;
import io.turnpike.chain.watch.WatchConfig;
import io.turnpike.core.Address;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.FatalErrors;
import io.turnpike.core.accounting.PaymentPolicy;
import io.turnpike.core.accounting.Ratio;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.mailbox.Subscriptions;
import io.turnpike.node.BuildInfo;
import io.turnpike.node.ListeningPort;
import io.turnpike.node.NodeContext;
import io.turnpike.node.channel.ContractChannelChain;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.mailbox.ChainClock;
import io.turnpike.node.mailbox.MailboxService;
import io.turnpike.node.mailbox.SubscriptionReminder;
import io.turnpike.node.market.MarketDirectory;
import io.turnpike.node.market.ProviderChoice;
import io.turnpike.node.payment.DirectPayments;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.paywall.ChannelPurse;
import io.turnpike.node.paywall.DailySpending;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.paywall.PaywallService;
import io.turnpike.node.provider.Provider;
import io.turnpike.node.provider.TransferCredits;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.node.service.RpcService;
import io.turnpike.node.service.SoldService;
import io.turnpike.node.service.UsageMeter;
import io.turnpike.node.tower.TowerHoldings;
import io.turnpike.node.tower.TowerRestore;
import io.turnpike.node.tower.TowerUploader;
import io.turnpike.node.metrics.MicrometerMetrics;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.time.Scheduler;
import io.turnpike.node.time.SystemScheduler;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerLimits;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerServer;
import io.turnpike.relay.LocalSocksEntry;
import io.turnpike.relay.RelayServer;
import io.turnpike.rpc.RpcEntry;
import io.turnpike.rpc.RpcFront;
import io.turnpike.rpc.RpcRoute;
import io.turnpike.store.ProviderHistoryStore;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the peer listener, the transaction manager, the surfaces of the services it sells (the relay, the
 * rpc front), and when it buys, the local entries (SOCKS5, JSON-RPC) and a connection to each provider. Every peer's
 * messages, channels and accounts run on that peer's own executor ({@link Peers}); the accounting tick hands each
 * peer its share there, and the chain is followed on a thread of its own. Everything it needs was opened and checked
 * by {@link io.turnpike.node.NodeHome#open}.
 */
public final class TurnpikeNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TurnpikeNode.class);
    /** How often usage is priced, payments made and throttles decided: well inside the pay interval. */
    static final Duration ACCOUNTING_TICK = Duration.ofMillis(200);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(30);
    private static final Duration BALANCE_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** How often each peer's payments are summed up in the log. */
    private static final Duration PAYMENT_SUMMARY_INTERVAL = Duration.ofMinutes(1);

    private final NodeContext context;
    private final Clock clock;
    private final ChannelsContract contract;
    private final TransactionManager transactions;
    private final ContractChannelChain channelChain;
    private final MicrometerMetrics metrics;
    private final Peers peers;
    private final LogWatcher watcher;
    private final BalanceMonitor balances;
    private volatile BalanceReport lastBalances;
    private volatile Instant balancesDue = Instant.EPOCH;
    private final Scheduler accounting;
    private final Scheduler chainLoop;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final PeerServer peerServer;
    private final Optional<BandwidthService> bandwidth;
    private final Optional<RpcService> rpc;
    private final Optional<PaywallService> paywall;
    private final Optional<MailboxService> mailbox;
    /** The market's subscriptions, followed when turnpike.chain.market is set: this node's and those paid to it. */
    private final Optional<SubscriptionFollower> subscriptions;
    private final Optional<SubscriptionReminder> reminder;
    /** What the mailbox and the reminder compare the market's expiries with. */
    private final ChainClock chainClock;
    private final Optional<Provider> provider;
    private final Optional<PaymentEngine> payments;
    /** Which provider each service this node buys goes to now. */
    private final ProviderChoice providerChoice;
    private final Optional<TowerUploader> towers;
    private final List<Channel> restored;
    private final PeerRouter router;
    private final PaywallClient paywallClient;
    private RelayServer relay;
    private LocalSocksEntry localEntry;
    private RpcFront rpcFront;
    private RpcEntry rpcEntry;
    private volatile boolean closing;

    private TurnpikeNode(NodeContext context, Clock clock, boolean restoreFromTowers) {
        this.context = context;
        this.clock = clock;
        NodeConfig config = context.config();
        var contractAddress = config.chain().contract().orElseThrow(() -> new TurnpikeException(
                ErrorCode.CONFIG_INVALID, "turnpike.chain.contract is not set; a node needs the contract"));
        this.contract = ChannelsContract.at(context.chain(), contractAddress);
        this.transactions = TransactionManager.open(context.chain(), context.key(), context.store().transactions(),
                TxConfig.defaults().withConfirmations(config.chain().confirmations()));
        this.channelChain = new ContractChannelChain(contract, transactions, config.asset(),
                config.client().challengePeriod().toSeconds());
        // Before anything reads the channels: peers, the chain's events and the towers all start from them.
        this.restored = restoreFromTowers ? TowerRestore.restore(config.watchtowers().towers(), channelChain,
                context.store().channels(), contract.domain(), context.key(), clock) : List.of();
        this.metrics = new MicrometerMetrics(BuildInfo.version(), config.asset().symbol());
        context.chain().rpc().metrics(metrics);
        this.peers = new Peers(context.store().channels(), channelChain, context.key(), contract.domain(),
                Executors.newVirtualThreadPerTaskExecutor(), background, metrics);
        this.watcher = new LogWatcher(context.chain(), contractAddress, context.store().cursors(),
                WatchConfig.from(config.chain().watchFromBlock()), new ChainEvents());
        this.balances = new BalanceMonitor(context.chain(), context.key().address(),
                new BalanceThresholds(config.wallet().lowBalance(), Map.of()), contract,
                () -> context.store().channels().list().stream().filter(Channel::isOpen).map(Channel::channelId)
                        .toList(), clock);
        this.accounting = new SystemScheduler("turnpike-accounting");
        this.chainLoop = new SystemScheduler("turnpike-chain");
        SecureRandom random = new SecureRandom();
        this.bandwidth = config.provider().enabled() && config.provider().bandwidth().enabled()
                ? Optional.of(new BandwidthService(config.provider().bandwidth())) : Optional.empty();
        this.rpc = config.provider().enabled() && config.provider().rpc().enabled()
                ? Optional.of(new RpcService(config.provider().rpc())) : Optional.empty();
        this.paywall = config.provider().enabled() ? config.provider().paywall().map(PaywallService::new)
                : Optional.empty();
        this.mailbox = config.provider().enabled() ? config.provider().mailbox().map(MailboxService::new)
                : Optional.empty();
        this.subscriptions = config.chain().market().map(market -> new SubscriptionFollower(context.chain(), market,
                context.store(), WatchConfig.from(config.chain().watchFromBlock()), config.chain().confirmations()));
        this.chainClock = new ChainClock(clock);
        this.reminder = subscriptions.map(follower -> new SubscriptionReminder(context.key().address(),
                follower::heldBy, chainClock));
        List<SoldService> sold = Stream.of(bandwidth.stream(), rpc.stream(), paywall.stream(),
                        mailbox.filter(MailboxService::soldPerByte).stream()).flatMap(s -> s)
                .map(SoldService.class::cast).toList();
        this.provider = config.provider().enabled()
                ? Optional.of(new Provider(sold, peers, channelChain, context.store().ledger(),
                new TransferCredits(context.chain(), context.store().transfers(), context.key().address(), config.asset(),
                        config.chain().confirmations()),
                config.provider(), config.asset(), clock, () -> !context.chain().rpc().isStale(), random, background,
                metrics))
                : Optional.empty();
        this.payments = config.client().providers().isEmpty() ? Optional.empty()
                : Optional.of(new PaymentEngine(context.key(), peers, channelChain, context.store().ledger(),
                paymentPolicy(config.client()), config.asset(), config.client().deposit(),
                config.client().topUpBelow(), clock, background, new DirectPayments(transactions,
                context.store().transactions(), context.store().transfers(), config.asset(), clock, background),
                metrics, ProviderHistoryStore.of(context.store())));
        this.providerChoice = providerChoice(config);
        this.towers = config.watchtowers().towers().isEmpty() ? Optional.empty()
                : Optional.of(new TowerUploader(config.watchtowers(), context.store().channels(), context.key(),
                contract.domain(), clock));
        towers.ifPresent(resources::add);
        this.router = new PeerRouter(peers, payments, provider, chainClock);
        this.paywallClient = new PaywallClient(context.key(), context.chain().chainId(), config.asset(),
                Optional.of(contractAddress), Optional.of(new ChannelPurse(peers, context.store().ledger(),
                config.asset().token(), payments)),
                DailySpending.of(context.store(), context.home().directory(), clock), clock, random);
        PeerConfig peerConfig = PeerConfig.of(context.key(), contract.domain()).withLimits(PeerLimits.defaults()
                .withMaxConnections(config.peerConnections().max())
                .withMaxConnectionsPerAddress(config.peerConnections().maxPerAddress()));
        ListeningPort peerPort = new ListeningPort("turnpike.peer.port", config.peer().bind(), config.peer().port());
        try {
            this.peerServer = peerPort.start(() -> PeerServer.start(peerConfig,
                    new InetSocketAddress(peerPort.host(), peerPort.port()), router));
            resources.add(peerServer);
            startServices(config, peerConfig);
        } catch (RuntimeException e) {
            // The threads and ports started so far are closed too: a refused start leaves nothing running.
            close();
            throw e;
        }
        chainLoop.every(config.chain().pollInterval(), this::tickTransactions);
        chainLoop.every(config.chain().pollInterval(), this::followChain);
        accounting.every(ACCOUNTING_TICK, this::tickAccounting);
        mailbox.ifPresent(m -> chainLoop.every(config.provider().mailbox().orElseThrow().sweepInterval(), m::sweep));
        accounting.every(PAYMENT_SUMMARY_INTERVAL, () -> peers.all().forEach(peer -> peer.executor().execute(
                () -> peer.channels().logSummary(PAYMENT_SUMMARY_INTERVAL))));
        towers.ifPresent(TowerUploader::start);
    }

    /**
     * Reads the contract's events and gives each channel the chain's time, so closed channels settle once their
     * challenge period is over. Transactions this causes are sent in the background, never on this thread.
     */
    private void followChain() {
        try {
            if (!clock.instant().isBefore(balancesDue)) {
                // Own and channel balances, with a warning when ether for gas runs low; never throws.
                lastBalances = balances.check();
                balancesDue = clock.instant().plus(BALANCE_CHECK_INTERVAL);
            }
            watcher.poll();
            subscriptions.ifPresent(SubscriptionFollower::poll);
            Instant chainTime = Instant.ofEpochSecond(context.chain().latestBlock().getTimestamp().longValueExact());
            chainClock.observed(chainTime);
            reminder.ifPresent(r -> {
                r.check();
                metrics.subscriptions(r.subscriptions(), chainClock.instant());
            });
            context.store().channels().list().stream().filter(c -> c.status() == ChannelStatus.CLOSED
                            || c.own().pending().isPresent() || c.partnerSide().pending().isPresent())
                    .map(Channel::partner).distinct().map(peers::of)
                    .forEach(peer -> peer.executor().execute(() -> peer.channels().chainTime(chainTime)));
        } catch (RuntimeException e) {
            LOG.warn("following the chain: {}", e.getMessage());
        }
    }

    /** Starts the node; it runs until {@link #close()}. */
    public static TurnpikeNode start(NodeContext context, Clock clock) {
        return start(context, clock, false);
    }

    /**
     * Starts the node; with {@code restoreFromTowers} it first rebuilds its channels from the proofs the configured
     * watchtowers hold for it ({@code turnpike node --restore-from-tower}, after its database was lost).
     */
    public static TurnpikeNode start(NodeContext context, Clock clock, boolean restoreFromTowers) {
        return new TurnpikeNode(context, clock, restoreFromTowers);
    }

    /** Chooses among the configured providers, scoring them with what the market (when set) says of each. */
    private ProviderChoice providerChoice(NodeConfig config) {
        Supplier<List<io.turnpike.chain.market.Provider>> registry = config.chain().market()
                .<Supplier<List<io.turnpike.chain.market.Provider>>>map(address -> () -> {
                    MarketContract market = MarketContract.at(context.chain(), address);
                    return market.providers().stream().map(market::provider).toList();
                }).orElse(List::of);
        Map<Address, String> configured = new LinkedHashMap<>();
        config.client().providers().forEach(peer -> configured.put(peer.address(), peer.url().toString()));
        Set<String> bought = new HashSet<>();
        if (config.client().socksPort() > 0) {
            bought.add(BandwidthService.NAME);
        }
        Map<String, Address> pins = new HashMap<>();
        config.client().rpc().ifPresent(rpcClient -> {
            bought.add(RpcService.NAME);
            rpcClient.provider().ifPresent(pinned -> pins.put(RpcService.NAME, pinned));
        });
        ProviderHistoryStore histories = ProviderHistoryStore.of(context.store());
        return new ProviderChoice(() -> payments.map(PaymentEngine::bought).orElse(List.of()), configured,
                payments.isPresent() ? bought : Set.of(), pins,
                new MarketDirectory(registry, configured, clock, background), histories::all, config.asset());
    }

    private static PaymentPolicy paymentPolicy(NodeConfig.Client client) {
        return new PaymentPolicy(PaymentPolicy.DEFAULT.payEarlyAt(), client.payInterval(),
                new Ratio(client.tolerancePercent(), 100));
    }

    private void startServices(NodeConfig config, PeerConfig peerConfig) {
        if (bandwidth.isPresent()) {
            NodeConfig.Endpoint relaySettings = config.provider().bandwidth().relay();
            relay = new ListeningPort("turnpike.provider.services.bandwidth.relay-port", relaySettings.bind(),
                    relaySettings.port())
                    .start(() -> bandwidth.get().start(provider.orElseThrow(), provider.orElseThrow()));
            resources.add(relay);
        }
        if (rpc.isPresent()) {
            NodeConfig.Endpoint front = config.provider().rpc().front();
            rpcFront = new ListeningPort("turnpike.provider.services.rpc.port", front.bind(), front.port())
                    .start(() -> rpc.get().start(provider.orElseThrow(), provider.orElseThrow(),
                            provider.orElseThrow()::reoffer, metrics));
            resources.add(rpcFront);
        }
        if (paywall.isPresent()) {
            resources.add(paywall.get());
            paywall.get().start(config.asset(), contract.domain(), context.chain(), transactions, context.store(),
                    peers, provider.orElseThrow(), clock);
        }
        if (mailbox.isPresent()) {
            startMailbox(config, mailbox.get());
        }
        if (payments.isPresent()) {
            for (NodeConfig.ProviderPeer peer : config.client().providers()) {
                payments.get().addProvider(peer.address(),
                        new InetSocketAddress(peer.relay().getHostString(), peer.relay().getPort()), peer.settlement());
                background.execute(() -> stayConnected(peerConfig, peer));
            }
            if (config.client().socksPort() > 0) {
                localEntry = new ListeningPort("turnpike.client.socks-port", "127.0.0.1", config.client().socksPort())
                        .start(() -> LocalSocksEntry.start(config.client().socksPort(),
                                () -> providerChoice.chosen(BandwidthService.NAME).flatMap(payments.get()::route),
                                (peer, up, down) -> payments.get().metered(peer, BandwidthService.NAME, up + down)));
                resources.add(localEntry);
            }
            config.client().rpc().ifPresent(this::startRpcEntry);
        }
    }

    /**
     * The mailbox API: fetches and deletes are signed in Turnpike's domain bound to the market (to the channel
     * contract when no market is set: a node serving free or per byte only); subscriptions are the market's.
     */
    private void startMailbox(NodeConfig config, MailboxService service) {
        resources.add(service);
        Address self = context.key().address();
        Eip712Domain domain = Eip712Domain.turnpike(context.chain().chainId(),
                config.chain().market().orElse(contract.address()));
        Subscriptions paid = subscriptions.map(follower -> Subscriptions.following(follower, self))
                .orElse((owner, planId) -> OptionalLong.empty());
        service.start(self, domain, context.store(), paid, peers, provider.map(UsageMeter.class::cast), chainClock,
                FatalErrors::exitProcess);
    }

    /**
     * The local JSON-RPC entry: each request goes to the front of the provider chosen for rpc at that moment, with
     * this node's session there; what it charged is that provider's alone.
     */
    private void startRpcEntry(NodeConfig.RpcClient settings) {
        PaymentEngine buying = payments.orElseThrow();
        Map<Address, java.net.URI> fronts = new HashMap<>();
        context.config().client().providers().forEach(peer -> fronts.put(peer.address(), peer.rpcFront()));
        InetSocketAddress listen = settings.listen();
        RpcService.AnnouncedCosts costs = new RpcService.AnnouncedCosts();
        rpcEntry = new ListeningPort("turnpike.client.services.rpc.listen", listen.getHostString(), listen.getPort())
                .start(() -> RpcEntry.start(listen,
                        () -> providerChoice.chosen(RpcService.NAME).flatMap(chosen -> buying.sessionToken(chosen,
                                RpcService.NAME).map(token -> new RpcRoute(chosen, fronts.get(chosen),
                                context.key().address(), token,
                                costs.of(buying.terms(chosen, RpcService.NAME))))),
                        (provider, units, price) -> buying.metered(provider, RpcService.NAME, units, price)));
        resources.add(rpcEntry);
    }

    /** Keeps a connection to one provider, reconnecting with back-off; proofs resync on every reconnect. */
    private void stayConnected(PeerConfig peerConfig, NodeConfig.ProviderPeer peer) {
        Duration wait = Duration.ofMillis(250);
        while (!closing) {
            try {
                PeerConnection connection = PeerClient.connect(peerConfig, peer.url(), Optional.of(peer.address()),
                        router).get(30, TimeUnit.SECONDS);
                wait = Duration.ofMillis(250);
                connection.closed().join();
            } catch (Exception e) {
                if (!closing) {
                    LOG.info("provider {} at {} not reachable ({}); retrying in {} ms", peer.address(), peer.url(),
                            e.getMessage(), wait.toMillis());
                }
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            wait = wait.multipliedBy(2).compareTo(RECONNECT_MAX) > 0 ? RECONNECT_MAX : wait.multipliedBy(2);
        }
    }

    private void tickTransactions() {
        try {
            transactions.tick();
        } catch (RuntimeException e) {
            LOG.warn("transaction manager: {}", e.getMessage());
        }
    }

    private void tickAccounting() {
        payments.ifPresent(PaymentEngine::tick);
        provider.ifPresent(Provider::tick);
    }

    public NodeContext context() {
        return context;
    }

    public ChannelsContract contract() {
        return contract;
    }

    /** The node's own transactions: each written down before it is sent (market subscriptions pay through it). */
    public TransactionManager transactions() {
        return transactions;
    }

    /** The node's clock: what "today" is for its earnings. */
    public Clock clock() {
        return clock;
    }

    /** The chain side of this node's channels: opening, reading, and the transactions their effects call for. */
    public ContractChannelChain channelChain() {
        return channelChain;
    }

    /** The node's metrics, for {@code GET /metrics}. */
    public MicrometerMetrics metrics() {
        return metrics;
    }

    /** This node's peers, each with its executor and channels. */
    public Peers peers() {
        return peers;
    }

    /** The channel as stored, which is where its owner leaves every state before acting on it. */
    public Optional<Channel> channel(long channelId) {
        return context.store().channels().get(peers.ref(channelId));
    }

    public List<Channel> channels() {
        return context.store().channels().list();
    }

    /** The last balance check: own ether and channel holdings, and what is running low; null before the first. */
    public BalanceReport balances() {
        return lastBalances;
    }

    public Optional<PaymentEngine> payments() {
        return payments;
    }

    public ProviderChoice providerChoice() {
        return providerChoice;
    }

    public Optional<Provider> provider() {
        return provider;
    }

    /** What each configured watchtower holds for this node, as its checked receipts prove; empty without towers. */
    public List<TowerHoldings> towerHoldings() {
        return towers.map(TowerUploader::holdings).orElse(List.of());
    }

    /** The channels a start with {@code restoreFromTowers} rebuilt from the towers; empty otherwise. */
    public List<Channel> restoredChannels() {
        return restored;
    }

    public int peerPort() {
        return peerServer.port();
    }

    public Optional<Integer> relayPort() {
        return Optional.ofNullable(relay).map(RelayServer::port);
    }

    /** The bandwidth service's relay, when this node sells bandwidth. */
    public Optional<RelayServer> relay() {
        return Optional.ofNullable(relay);
    }

    public Optional<Integer> localSocksPort() {
        return Optional.ofNullable(localEntry).map(LocalSocksEntry::port);
    }

    /** The rpc service's front, when this node sells JSON-RPC. */
    public Optional<Integer> rpcFrontPort() {
        return rpcFront().map(RpcFront::port);
    }

    /** The rpc service's front, when this node sells JSON-RPC. */
    public Optional<RpcFront> rpcFront() {
        return Optional.ofNullable(rpcFront);
    }

    /** The paywall's port, when this node sells through one. */
    public Optional<Integer> paywallPort() {
        return paywall.map(PaywallService::port);
    }

    /** The mailbox API's port, when this node serves mailboxes. */
    public Optional<Integer> mailboxPort() {
        return mailbox.map(MailboxService::port);
    }

    /** The mailbox itself, when this node serves mailboxes. */
    public Optional<io.turnpike.mailbox.Mailbox> mailbox() {
        return mailbox.map(MailboxService::mailbox);
    }

    /** This node's own subscriptions in the market, with their state; empty when no market is set. */
    public List<io.turnpike.node.control.SubscriptionView> subscriptions() {
        return reminder.map(SubscriptionReminder::subscriptions).orElse(List.of());
    }

    /** The x402 facilitator API's port, when this node runs one. */
    public Optional<Integer> facilitatorPort() {
        return paywall.flatMap(PaywallService::facilitatorPort);
    }

    /** Pays HTTP 402 paywalls for this node: through its channels where it has one to the payee, else {@code exact}. */
    public PaywallClient paywallClient() {
        return paywallClient;
    }

    /** The local JSON-RPC entry's port, when this node buys JSON-RPC. */
    public Optional<Integer> rpcEntryPort() {
        return Optional.ofNullable(rpcEntry).map(RpcEntry::port);
    }

    @Override
    public void close() {
        closing = true;
        payments.ifPresent(PaymentEngine::stopping);
        accounting.close();
        chainLoop.close();
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resource, e.getMessage());
            }
        }
        // The connections this node dialled are no resource of the peer server; a stopped node leaves its peers.
        peers.all().forEach(peer -> peer.connection().ifPresent(PeerConnection::close));
        // Nothing is relayed any more: what was since the last tick is priced and written down, not lost.
        tickAccounting();
        peers.all().forEach(peer -> Peer.await(peer.call(() -> true)));
        background.shutdownNow();
    }

    /** What the contract says happened to this node's channels, handed to the owner of each on its executor. */
    private final class ChainEvents implements ChannelEventListener {

        @Override
        public void onEvent(ObservedEvent observed) {
            long channelId = observed.event().channelId();
            ContractChannelChain.ChainEvents.toChannelEvent(observed.event()).ifPresent(event ->
                    peers.owning(channelId).ifPresent(peer -> peer.executor().execute(() -> {
                        try {
                            peer.channels().apply(channelId, event);
                        } catch (TurnpikeException e) {
                            LOG.warn("channel {}: the chain's {} could not be applied: {}", channelId, event,
                                    e.getMessage());
                        }
                    })));
        }

        @Override
        public void onRewind(long fromBlock) {
            // Closes and settlements are re-read from the rewound blocks; applying them again changes nothing.
        }
    }
}
