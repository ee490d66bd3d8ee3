package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.MutableClock;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.accounting.PaymentPolicy;
import io.turnpike.core.accounting.Ratio;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.Role;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.core.service.Standing;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.fixtures.FakeContract;
import io.turnpike.node.fixtures.ManualExecutor;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.node.payment.DirectPayments;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.provider.Provider;
import io.turnpike.node.provider.TransferCredits;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.rpc.FrontSettings;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.ProviderHistoryStore;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The payer's and the provider's logic together, on a controlled clock and executor: the node's own classes (peer
 * executors, channels, payer, provider, router) over an in-memory connection and contract, with real stores. Each
 * test moves time and runs the queued work itself, so nothing sleeps and nothing depends on the machine's speed.
 */
class PaymentFlowTest {

    private static final Amount PRICE = Amount.of(10);
    private static final Amount THRESHOLD = Amount.of(10_000);
    private static final Amount DEPOSIT = Amount.of(1_000_000);

    @TempDir
    Path folder;

    private final MutableClock clock = MutableClock.startingNow();
    private final ManualExecutor executor = new ManualExecutor();
    private FakeContract contract;
    private Node payer;
    private Node provider;
    private Link link;

    @BeforeEach
    void start() {
        contract = new FakeContract(clock, 60);
        provider = new Node("provider", PrivateKey.random(new SecureRandom()), true);
        payer = new Node("payer", PrivateKey.random(new SecureRandom()), false);
        payer.buysFrom(provider);
        link = connect();
        executor.runAll();
    }

    @AfterEach
    void stop() {
        for (Node node : new Node[] {payer, provider}) {
            if (node != null) {
                node.store.close();
            }
        }
    }

    private Path directory(String name) {
        try {
            return java.nio.file.Files.createDirectories(folder.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void thePayerOpensAChannelAndPaysEarlyAtHalfTheThresholdAndTheProviderCreditsExactly() {
        long channelId = payerChannel().orElseThrow().channelId();

        use(600); // 6,000 wei, past half the threshold
        tick();

        assertThat(payerView().paid()).isEqualTo(Amount.of(6000));
        assertThat(payerView().owed()).isEqualTo(Amount.ZERO);
        assertThat(providerView().paid()).isEqualTo(Amount.of(6000));
        assertThat(provider.stored(channelId).receivedTotal()).isEqualTo(Amount.of(6000));
        assertThat(payer.stored(channelId).sentTotal()).isEqualTo(Amount.of(6000));
    }

    @Test
    void belowHalfTheThresholdThePayerPaysOnlyOnceThePayIntervalHasPassed() {
        use(100);
        tick();
        assertThat(providerView().paid()).isEqualTo(Amount.ZERO);

        clock.advance(Duration.ofSeconds(5));
        tick();

        assertThat(providerView().paid()).isEqualTo(Amount.of(1000));
    }

    @Test
    void aClientPastItsDebtLimitIsServedAtTheFreeTierUntilItPays() {
        // The provider meters 13,000 wei the payer has not seen yet: past 1.25 x the threshold.
        provider.bandwidth.used(payer.address(), BandwidthService.NAME, 1300);
        tick();
        assertThat(providerView().tier()).isEqualTo(Standing.FREE.wireName());
        assertThat(payerView().tier()).isEqualTo(Standing.FREE.wireName());

        payer.payments.metered(provider.address(), BandwidthService.NAME, 1300);
        tick();

        assertThat(providerView().tier()).isEqualTo(Standing.PAID.wireName());
        assertThat(payerView().tier()).isEqualTo(Standing.PAID.wireName());
        assertThat(providerView().paid()).isEqualTo(Amount.of(13_000));
    }

    @Test
    void aLostReceiptIsResolvedByAResyncAndNothingIsPaidTwice() {
        link.dropping(message -> message instanceof PeerMessage.Receipt);
        use(600);
        tick();
        assertThat(payerView().inFlight()).isEqualTo(Amount.of(6000));

        link.dropping(message -> false);
        clock.advance(Duration.ofSeconds(10));
        tick();

        assertThat(payerView().inFlight()).isEqualTo(Amount.ZERO);
        assertThat(payerView().paid()).isEqualTo(Amount.of(6000));
        assertThat(providerView().paid()).isEqualTo(Amount.of(6000));
    }

    @Test
    void afterACooperativeSettleNothingMovesOnTheOldChannelTheClientIsFreeThenPaysThroughANewOne() {
        long first = payerChannel().orElseThrow().channelId();
        use(600);
        tick();

        Peer toProvider = payer.peers.of(provider.address());
        CompletableFuture<Channel> settled = executor.query(() -> toProvider.await(
                () -> toProvider.channels().proposeSettle(first)));
        executor.runAll();

        assertThat(settled).isCompletedWithValueMatching(c -> c.status() == ChannelStatus.SETTLED);
        assertThat(provider.stored(first).status()).isEqualTo(ChannelStatus.SETTLED);
        assertThat(contract.channel(first).orElseThrow().payouts.b()).isEqualTo(Amount.of(6000));
        tick();
        assertThat(providerView().tier()).isEqualTo(Standing.FREE.wireName());

        use(300);
        clock.advance(Duration.ofSeconds(10)); // the payer retries opening every 10 s
        tick();
        tick();

        long second = payerChannel().orElseThrow().channelId();
        assertThat(second).isNotEqualTo(first);
        assertThat(provider.stored(first).receivedNonce()).isEqualTo(payer.stored(first).sentNonce());
        assertThat(provider.stored(second).receivedTotal()).isEqualTo(Amount.of(3000));
        assertThat(providerView().paid()).isEqualTo(Amount.of(9000));
        assertThat(providerView().tier()).isEqualTo(Standing.PAID.wireName());
    }

    @Test
    void aDuplicateProofRefusedWhileACooperativeSettleIsUnderWayDoesNotEndTheSettle() {
        long first = payerChannel().orElseThrow().channelId();
        use(600);
        tick();
        PeerMessage.Pay resent = new PeerMessage.Pay(payer.stored(first).sent().orElseThrow());

        // The newest proof again, just ahead of the proposal: the provider answers it stale_proof while the payer
        // waits for the co-signature.
        AtomicBoolean overtaken = new AtomicBoolean();
        link.dropping(message -> {
            if (message instanceof PeerMessage.SettleRequest && !overtaken.getAndSet(true)) {
                link.toProvider.send(resent);
            }
            return false;
        });

        Peer toProvider = payer.peers.of(provider.address());
        CompletableFuture<Channel> settled = executor.query(() -> toProvider.await(
                () -> toProvider.channels().proposeSettle(first)));
        executor.runAll();

        assertThat(overtaken).isTrue();
        assertThat(settled).isCompletedWithValueMatching(c -> c.status() == ChannelStatus.SETTLED);
        assertThat(contract.channel(first).orElseThrow().payouts.b()).isEqualTo(Amount.of(6000));
        assertThat(payerView().paid()).isEqualTo(Amount.of(6000));
    }

    @Test
    void aPartnersStaleCloseIsAnsweredWithTheNewestProofAndTheBooksFollowTheChain() {
        long channelId = payerChannel().orElseThrow().channelId();
        use(600);
        tick();
        Peer toProvider = payer.peers.of(provider.address());

        // The payer closes alone; the provider, which holds the payer's proof, puts it on chain in the period.
        executor.query(() -> toProvider.await(() -> toProvider.channels().close(channelId)));
        executor.runAll();
        clock.advance(Duration.ofSeconds(61));
        chainTime();

        assertThat(contract.channel(channelId).orElseThrow().payouts.b()).isEqualTo(Amount.of(6000));
        assertThat(payer.stored(channelId).paid()).isEqualTo(Amount.of(6000));
        assertThat(provider.stored(channelId).earned()).isEqualTo(Amount.of(6000));
        assertThat(provider.stored(channelId).status()).isEqualTo(ChannelStatus.SETTLED);
    }

    // ---------------------------------------------------------------- the world

    /** The same usage through both meters: the payer's local entry and the provider's relay. */
    @Test
    void aProviderChargingForWhatWasNotUsedIsRecordedOncePerConnectionAndRememberedAfterARestart() {
        use(100);
        tick();
        // The provider claims 50,000 wei used where this node metered 1,000: far beyond the 5 % tolerance.
        PeerMessage.Statement inflated = new PeerMessage.Statement(Amount.of(50_000), Amount.ZERO,
                Amount.of(50_000), List.of());
        link.toPayer.send(inflated);
        link.toPayer.send(inflated);
        executor.runAll();

        PaymentEngine.Bought seen = executor.query(() -> payer.payments.bought().getFirst());
        assertThat(seen.misbehaving()).isTrue();
        assertThat(seen.history()).isEqualTo(new ProviderHistory(1, 0, 0));
        assertThat(payerView().paid()).as("only this node's own figure is paid").isLessThanOrEqualTo(Amount.of(1000));

        payer.buysFrom(provider); // as after a restart: the history comes back from the store
        assertThat(executor.query(() -> payer.payments.bought().getFirst().history()))
                .isEqualTo(new ProviderHistory(1, 0, 0));
    }

    @Test
    void aProviderAnsweringAPaymentWithAnErrorIsCountedAsRefusingAProof() {
        link.dropping(message -> message instanceof PeerMessage.Receipt);
        use(600);
        tick();
        assertThat(payerView().inFlight()).isEqualTo(Amount.of(6000));

        link.toPayer.send(PeerMessage.ErrorMessage.of(ErrorCode.STALE_PROOF, "not the newest proof"));
        executor.runAll();

        PaymentEngine.Bought seen = executor.query(() -> payer.payments.bought().getFirst());
        assertThat(seen.misbehaving()).isTrue();
        assertThat(seen.history()).isEqualTo(new ProviderHistory(0, 1, 0));
        assertThat(ProviderHistoryStore.of(payer.store).all()).containsEntry(provider.address(),
                new ProviderHistory(0, 1, 0));
    }

    private void use(long bytes) {
        payer.payments.metered(provider.address(), BandwidthService.NAME, bytes);
        provider.bandwidth.used(payer.address(), BandwidthService.NAME, bytes);
    }

    /** One accounting tick on both nodes, and everything it sets off. */
    private void tick() {
        provider.bandwidth.tick();
        payer.payments.tick();
        executor.runAll();
    }

    /** The chain's clock reaches both nodes, as their chain loops do. */
    private void chainTime() {
        for (Node node : List.of(payer, provider)) {
            node.peers.all().forEach(peer -> peer.executor().execute(() -> peer.channels().chainTime(clock.instant())));
        }
        executor.runAll();
    }

    private Optional<Channel> payerChannel() {
        Peer peer = payer.peers.of(provider.address());
        return executor.query(() -> peer.await(() -> peer.channels().open(Role.A)));
    }

    private PeerView payerView() {
        return executor.query(() -> payer.payments.views().getFirst());
    }

    private PeerView providerView() {
        return executor.query(() -> provider.bandwidth.views().getFirst());
    }

    private Link connect() {
        Link pair = new Link();
        provider.router.onAuthenticated(pair.toPayer);
        payer.router.onAuthenticated(pair.toProvider);
        return pair;
    }

    /** One node's own classes, wired as TurnpikeNode wires them, on the test's executor and clock. */
    private final class Node {
        final PrivateKey key;
        final Store store;
        final Peers peers;
        PaymentEngine payments;
        Provider bandwidth;
        PeerRouter router;

        Node(String name, PrivateKey key, boolean sells) {
            this.key = key;
            this.store = Store.open(StoreConfig.sqlite(directory(name)),
                    new NodeIdentity(key.address(), contract.domain.chainId(), contract.domain.verifyingContract()));
            this.peers = new Peers(store.channels(), contract.as(key.address()), key, contract.domain, executor,
                    executor, MetricsTracker.NONE);
            contract.watch((channelId, event) -> peers.owning(channelId).ifPresent(peer ->
                    peer.executor().execute(() -> peer.channels().apply(channelId, event))));
            if (sells) {
                // No direct transfers here, so the chain behind them is never asked.
                // The relay is not started: the service's standing changes reach no socket, its use is reported here.
                NodeConfig.Bandwidth relay = new NodeConfig.Bandwidth(true, new NodeConfig.Endpoint("127.0.0.1", 0),
                        PRICE, 1000, 10_000, false);
                bandwidth = new Provider(List.of(new BandwidthService(relay)), peers, contract.as(key.address()),
                        store.ledger(), new TransferCredits(null, store.transfers(), key.address(), Asset.ETH, 1),
                        new NodeConfig.Provider(true, THRESHOLD, Amount.ZERO, Duration.ofHours(1), relay,
                                new NodeConfig.Rpc(false, new NodeConfig.Endpoint("127.0.0.1", 0), PRICE,
                                        FrontSettings.of(List.of(URI.create("http://127.0.0.1:8545")))),
                                Optional.empty()),
                        Asset.ETH, clock, () -> true, new SecureRandom(), executor, MetricsTracker.NONE);
            }
            router = new PeerRouter(peers, Optional.empty(), Optional.ofNullable(bandwidth), clock);
        }

        void buysFrom(Node seller) {
            payments = new PaymentEngine(key, peers, contract.as(key.address()), store.ledger(),
                    new PaymentPolicy(new Ratio(1, 2), Duration.ofSeconds(5), new Ratio(5, 100)), Asset.ETH, DEPOSIT,
                    Amount.of(1000), clock, executor,
                    // Paid through a channel only: the transaction manager of direct payments is never used.
                    new DirectPayments(null, store.transactions(), store.transfers(), Asset.ETH, clock, executor),
                    MetricsTracker.NONE, ProviderHistoryStore.of(store));
            payments.addProvider(seller.address(), new InetSocketAddress("127.0.0.1", 1), NodeConfig.Settlement.CHANNEL);
            router = new PeerRouter(peers, Optional.of(payments), Optional.ofNullable(bandwidth), clock);
        }

        Address address() {
            return key.address();
        }

        Channel stored(long channelId) {
            return store.channels().get(peers.ref(channelId)).orElseThrow();
        }
    }

    /** An authenticated connection between the two nodes, in memory; messages may be dropped on purpose. */
    private final class Link {
        final Side toProvider = new Side(() -> provider);
        final Side toPayer = new Side(() -> payer);
        private Predicate<PeerMessage> dropped = message -> false;

        void dropping(Predicate<PeerMessage> which) {
            dropped = which;
        }

        /** One end: what its node sends arrives at the other node's router, as the transport would deliver it. */
        final class Side implements PeerConnection {
            private final Supplier<Node> remote;
            private final CompletableFuture<Void> closed = new CompletableFuture<>();

            Side(Supplier<Node> remote) {
                this.remote = remote;
            }

            @Override
            public Address remote() {
                return remote.get().address();
            }

            @Override
            public InetSocketAddress remoteSocket() {
                return new InetSocketAddress("127.0.0.1", 1);
            }

            @Override
            public void send(PeerMessage message) {
                if (!dropped.test(message)) {
                    remote.get().router.onMessage(this == toProvider ? toPayer : toProvider, message);
                }
            }

            @Override
            public boolean isOpen() {
                return !closed.isDone();
            }

            @Override
            public void close() {
                closed.complete(null);
            }

            @Override
            public CompletableFuture<Void> closed() {
                return closed;
            }
        }
    }
}
