package io.turnpike.node.daemon;

import io.turnpike.chain.ChannelEvent;
import io.turnpike.core.Address;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.monitor.BalanceMonitor;
import io.turnpike.chain.monitor.BalanceReport;
import io.turnpike.chain.monitor.BalanceThresholds;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.chain.tx.TxConfig;
import io.turnpike.chain.watch.ChannelEventListener;
import io.turnpike.chain.watch.LogWatcher;
import io.turnpike.chain.watch.ObservedEvent;
import io.turnpike.chain.watch.WatchConfig;
import io.turnpike.core.accounting.PaymentPolicy;
import io.turnpike.core.accounting.Ratio;
import io.turnpike.node.NodeContext;
import io.turnpike.node.NodeException;
import io.turnpike.node.channel.ChannelManager;
import io.turnpike.node.channel.SettlementDesk;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.payment.DirectPayments;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.provider.BandwidthProvider;
import io.turnpike.node.provider.TransferCredits;
import io.turnpike.node.tower.TowerHoldings;
import io.turnpike.node.tower.TowerRestore;
import io.turnpike.node.tower.TowerUploader;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerServer;
import io.turnpike.relay.LocalSocksEntry;
import io.turnpike.relay.RelayConfig;
import io.turnpike.relay.RelayServer;
import io.turnpike.store.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running node: the peer listener, the transaction manager, the relay when it sells bandwidth, the
 * local SOCKS5 entry and a connection to each provider when it buys, and the loop that meters, pays and
 * enforces. Everything it needs was opened and checked by {@link io.turnpike.node.NodeHome#open}.
 */
public final class TurnpikeNode implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TurnpikeNode.class);
    /** How often usage is priced, payments made and throttles decided: well inside the pay interval. */
    static final Duration ACCOUNTING_TICK = Duration.ofMillis(200);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(30);
    private static final Duration BALANCE_CHECK_INTERVAL = Duration.ofSeconds(30);

    private final NodeContext context;
    private final ChannelsContract contract;
    private final TransactionManager transactions;
    private final ChannelManager channels;
    private final SettlementDesk settlements;
    private final LogWatcher watcher;
    private final BalanceMonitor balances;
    private volatile BalanceReport lastBalances;
    /** The newest authenticated connection to each peer, either direction. */
    private final Map<Address, PeerConnection> connections = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    private final ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final PeerServer peerServer;
    private final Optional<BandwidthProvider> provider;
    private final Optional<PaymentEngine> payments;
    private final Optional<TowerUploader> towers;
    private final List<Channel> restored;
    private RelayServer relay;
    private LocalSocksEntry localEntry;
    private volatile boolean closing;

    private TurnpikeNode(NodeContext context, Clock clock, boolean restoreFromTowers) {
        this.context = context;
        NodeConfig config = context.config();
        Address contractAddress = config.chain().contract().orElseThrow(() -> new NodeException(
                NodeException.Code.CONFIG_INVALID, "turnpike.chain.contract is not set; a node needs the contract"));
        this.contract = ChannelsContract.at(context.chain(), contractAddress);
        this.transactions = TransactionManager.open(context.chain(), context.key(), context.store().transactions(),
                TxConfig.defaults().withConfirmations(config.chain().confirmations()));
        this.channels = new ChannelManager(contract, transactions, context.store().channels(), config.asset(),
                config.client().challengePeriod().toSeconds());
        // Before anything reads the channels: peers, the chain's events and the towers all start from them.
        this.restored = restoreFromTowers
                ? TowerRestore.restore(config.watchtowers().towers(), channels, context.key(), clock) : List.of();
        this.settlements = new SettlementDesk(channels, context.key(), peer -> Optional.ofNullable(connections.get(peer)));
        this.watcher = new LogWatcher(context.chain(), contractAddress, context.store().cursors(),
                WatchConfig.from(config.chain().watchFromBlock()), new ChainEvents());
        this.balances = new BalanceMonitor(context.chain(), context.key().address(),
                new BalanceThresholds(config.wallet().lowBalance(), Map.of()), contract,
                () -> channels.all().stream().filter(c -> c.state() == io.turnpike.store.ChannelState.OPEN)
                        .map(c -> c.ref().channelId()).toList(), clock);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("turnpike-accounting").unstarted(r));
        SecureRandom random = new SecureRandom();
        this.provider = config.provider().enabled()
                ? Optional.of(new BandwidthProvider(channels, context.store().channels(), context.store().ledger(),
                new TransferCredits(context.chain(), context.store().transfers(), context.key().address(), config.asset(),
                        config.chain().confirmations()),
                config.provider(), clock, () -> !context.chain().rpc().isStale(), random))
                : Optional.empty();
        this.payments = config.client().providers().isEmpty() ? Optional.empty()
                : Optional.of(new PaymentEngine(context.key(), channels, context.store().channels(),
                context.store().ledger(), paymentPolicy(config.client()), config.client().deposit(),
                config.client().topUpBelow(), clock, background, new DirectPayments(transactions,
                context.store().transactions(), context.store().transfers(), config.asset(), clock, background)));
        this.towers = config.watchtowers().towers().isEmpty() ? Optional.empty()
                : Optional.of(new TowerUploader(config.watchtowers(), context.store().channels(), context.key(),
                contract.domain(), clock));
        towers.ifPresent(resources::add);
        PeerConfig peerConfig = PeerConfig.of(context.key(), contract.domain());
        this.peerServer = PeerServer.start(peerConfig,
                new InetSocketAddress(config.peer().bind(), config.peer().port()), new Dispatcher());
        resources.add(peerServer);
        try {
            startServices(config, peerConfig);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        scheduler.scheduleWithFixedDelay(this::tickTransactions, 0,
                config.chain().pollInterval().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::tickAccounting, ACCOUNTING_TICK.toMillis(), ACCOUNTING_TICK.toMillis(),
                TimeUnit.MILLISECONDS);
        background.execute(() -> followChain(config.chain().pollInterval()));
        towers.ifPresent(TowerUploader::start);
    }

    /**
     * Reads the contract's events and settles channels whose challenge period is over. Its own thread,
     * because answering a close sends transactions and waits for them, which the scheduler must keep ticking.
     */
    private void followChain(Duration every) {
        Instant balancesDue = Instant.EPOCH;
        while (!closing) {
            try {
                if (!Instant.now().isBefore(balancesDue)) {
                    // Own and channel balances, with a warning when ether for gas runs low; never throws.
                    lastBalances = balances.check();
                    balancesDue = Instant.now().plus(BALANCE_CHECK_INTERVAL);
                }
                watcher.poll();
                channels.settleDue(Instant.ofEpochSecond(context.chain().latestBlock().getTimestamp().longValueExact()));
            } catch (RuntimeException e) {
                LOG.warn("following the chain: {}", e.getMessage());
            }
            try {
                Thread.sleep(every);
            } catch (InterruptedException e) {
                return;
            }
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

    private static PaymentPolicy paymentPolicy(NodeConfig.Client client) {
        return new PaymentPolicy(PaymentPolicy.DEFAULT.payEarlyAt(), client.payInterval(),
                new Ratio(client.tolerancePercent(), 100));
    }

    private void startServices(NodeConfig config, PeerConfig peerConfig) {
        try {
            if (provider.isPresent()) {
                NodeConfig.Endpoint bind = config.provider().relay();
                relay = RelayServer.start(RelayConfig.listeningOn(new InetSocketAddress(bind.bind(), bind.port()))
                        .withPrivateTargets(config.provider().allowPrivateTargets()), provider.get(), provider.get());
                provider.get().attach(relay);
                resources.add(relay);
            }
            if (payments.isPresent()) {
                for (NodeConfig.ProviderPeer peer : config.client().providers()) {
                    payments.get().addProvider(peer.address(),
                            new InetSocketAddress(peer.relay().getHostString(), peer.relay().getPort()), peer.settlement());
                    background.execute(() -> stayConnected(peerConfig, peer));
                }
                if (config.client().socksPort() > 0) {
                    localEntry = LocalSocksEntry.start(config.client().socksPort(), payments.get()::route,
                            (peer, up, down) -> payments.get().metered(peer, up + down));
                    resources.add(localEntry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the node's services: " + e.getMessage(), e);
        }
    }

    /** Keeps a connection to one provider, reconnecting with back-off; proofs resync on every reconnect. */
    private void stayConnected(PeerConfig peerConfig, NodeConfig.ProviderPeer peer) {
        Duration wait = Duration.ofMillis(250);
        Dispatcher dispatcher = new Dispatcher();
        while (!closing) {
            try {
                PeerConnection connection = PeerClient.connect(peerConfig, peer.url(), Optional.of(peer.address()),
                        dispatcher).get(30, TimeUnit.SECONDS);
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
        provider.ifPresent(BandwidthProvider::tick);
    }

    public NodeContext context() {
        return context;
    }

    public ChannelsContract contract() {
        return contract;
    }

    public ChannelManager channels() {
        return channels;
    }

    /** The last balance check: own ether and channel holdings, and what is running low; null before the first. */
    public BalanceReport balances() {
        return lastBalances;
    }

    public SettlementDesk settlements() {
        return settlements;
    }

    public Optional<PaymentEngine> payments() {
        return payments;
    }

    public Optional<BandwidthProvider> provider() {
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

    public Optional<Integer> localSocksPort() {
        return Optional.ofNullable(localEntry).map(LocalSocksEntry::port);
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdownNow();
        boolean tickDone = awaitQuietly(scheduler);
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warn("closing {}: {}", resource, e.getMessage());
            }
        }
        // The connections this node dialled are no resource of the peer server; a stopped node leaves its peers.
        connections.values().forEach(PeerConnection::close);
        // Nothing is relayed any more: what was since the last tick is priced and written down, not lost.
        if (tickDone) {
            tickAccounting();
        }
        background.shutdownNow();
    }

    private static boolean awaitQuietly(ExecutorService executor) {
        try {
            return executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What the contract says happened to this node's channels. */
    private final class ChainEvents implements ChannelEventListener {

        @Override
        public void onEvent(ObservedEvent observed) {
            switch (observed.event()) {
                case ChannelEvent.ChannelClosed closed when !closed.closer().equals(context.key().address()) ->
                        channels.partnerClosed(closed.channelId(), closed.closer(), Instant.ofEpochSecond(closed.settleAt()));
                case ChannelEvent.ChannelSettled settled -> channels.settledOnChain(settled.channelId());
                default -> {
                }
            }
        }

        @Override
        public void onRewind(long fromBlock) {
            // Closes and settlements are re-read from the rewound blocks; handling them again is idempotent.
        }
    }

    /** Routes each peer message to the side of the node it concerns: buying, or selling. */
    private final class Dispatcher implements PeerListener {

        @Override
        public void onAuthenticated(PeerConnection connection) {
            connections.put(connection.remote(), connection);
            provider.ifPresent(p -> p.onAuthenticated(connection));
        }

        @Override
        public void onMessage(PeerConnection connection, PeerMessage message) {
            boolean handled = settlements.onMessage(connection, message)
                    || payments.map(p -> p.onMessage(connection, message)).orElse(false)
                    || provider.map(p -> p.onMessage(connection, message)).orElse(false);
            if (!handled && message instanceof PeerMessage.ErrorMessage error) {
                LOG.info("peer {} refused a message: [{}] {}", connection.remote(), error.code(), error.message());
                return; // an error is never answered with an error
            }
            if (!handled) {
                throw new io.turnpike.core.TurnpikeException(io.turnpike.core.ErrorCode.OUT_OF_ORDER,
                        "this node does not expect '" + message.type() + "' from " + connection.remote() + " now");
            }
        }

        @Override
        public void onClosed(PeerConnection connection) {
            connections.remove(connection.remote(), connection);
            payments.ifPresent(p -> p.onClosed(connection));
            provider.ifPresent(p -> p.onClosed(connection));
        }
    }
}
