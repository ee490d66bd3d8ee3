package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.Signed;
import io.turnpike.node.Environment;
import io.turnpike.node.api.ApiClient;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.demo.PeerLink;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerBalance;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes that stop — killed with SIGKILL, or stopped as on SIGTERM — at a random point mid-stream lose no money.
 * For the kills both nodes run as operators run them, each in its own process, while curl downloads through the
 * client's local entry, and one node or the other is killed and started again, a few times over. Afterwards the
 * provider holds the client's newest proof, no nonce was ever signed for two different amounts, the client owes
 * nothing, the provider is paid for everything it metered, and nobody paid for a byte the source did not send.
 */
class CrashRecoveryTest {

    /** The source's pace; a crash interrupts about a second of traffic. */
    private static final long PACE = 2_000_000;
    /** Each download: half a second at the pace, so several run between crashes. */
    private static final long BODY = 1_000_000;
    private static final long PRICE_PER_BYTE = 1000;
    /** Far above what a paying client owes between two payments, so nobody is throttled for a crash. */
    private static final String THRESHOLD = "40000000000";
    /** Relayed bytes a download adds to its body: the request, the response head and chunking, generously. */
    private static final long OVERHEAD_PER_REQUEST = 1024;
    private static final int ROUNDS = 4;
    /** How long both meters must stand still before the books count as quiet: five accounting ticks. */
    private static final Duration STEADY = Duration.ofSeconds(1);

    @TempDir
    Path folder;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() {
        for (AutoCloseable resource : resources.reversed()) {
            try {
                resource.close();
            } catch (Exception e) {
                // the rest still get closed
            }
        }
    }

    @Test
    void killingEitherNodeMidStreamLosesNoPaymentAndSignsNoNonceTwice() throws Exception {
        CrashRun run = runWithCrashes();

        assertThat(run.channelsOnChain()).as("one channel, however often the client restarted").isEqualTo(1);
        Signed<BalanceProof> sent = run.client().channel().sent().orElseThrow();
        assertThat(run.provider().channel().received()).as("the provider holds the client's newest proof").contains(sent);

        // Every proof that crossed the network: one per nonce, each paying more than the one before.
        Map<Long, Set<Signed<BalanceProof>>> byNonce = run.pays().stream().map(Pay::proof).collect(
                Collectors.groupingBy(p -> p.message().nonce(), TreeMap::new, Collectors.toSet()));
        byNonce.forEach((nonce, proofs) -> assertThat(proofs).as("proofs signed with nonce %d", nonce).hasSize(1));
        List<Signed<BalanceProof>> ordered = byNonce.values().stream().map(p -> p.iterator().next()).toList();
        for (int i = 1; i < ordered.size(); i++) {
            assertThat(ordered.get(i).message().transferred()).isGreaterThan(ordered.get(i - 1).message().transferred());
        }
        assertThat(ordered.getLast()).as("the newest proof on the wire is the one both stored").isEqualTo(sent);

        assertThat(run.client().ledger().used()).as("the client owes nothing by its own meter")
                .isLessThanOrEqualTo(run.paid());
        assertThat(run.provider().ledger().used()).as("the provider is paid for everything it metered")
                .isLessThanOrEqualTo(run.paid());
        assertThat(run.paid()).as("the client paid for no byte the source did not send").isLessThanOrEqualTo(
                Amount.of(PRICE_PER_BYTE * (run.served() + OVERHEAD_PER_REQUEST * run.requests())));
    }

    /**
     * A node keeps what it relayed since its last accounting tick (200 ms) in memory only, so SIGKILL loses it: a
     * killed provider is then paid for traffic its books do not show (credit it will serve again for free), and a
     * killed client's lost usage is recovered from the provider's statement only if the provider's meter is whole.
     */
    @Test
    void aNodeStoppedMidStreamHasWrittenDownEverythingItMetered() throws Exception {
        PacedServer target = open(new PacedServer(4 * PACE));
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised providerDir = nodes.datadir("provider", 1);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        int socks = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, Long.toString(PRICE_PER_BYTE), THRESHOLD,
                125_000));
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), providerPeer, relay, FreePort.take(),
                socks, "1s"));
        InProcess provider = open(new InProcess(nodes, providerDir));
        InProcess client = open(new InProcess(nodes, clientDir));

        // The client is stopped while curl downloads through its local entry.
        long first = downloadUntilStopped(client, target, socks);
        assertThat(Books.of(clientDir, nodes, providerDir.address(), Debtor.US).ledger().used())
                .as("the client's meter, written down when it stopped").isGreaterThanOrEqualTo(
                        Amount.of(PRICE_PER_BYTE * first));
        // A stopped node leaves its peers: it no longer takes statements it can neither check nor pay.
        Downloads.await(() -> provider.node().provider().orElseThrow().views().stream().noneMatch(PeerView::connected),
                Duration.ofSeconds(10));
        client.start();

        // Then the provider, while its relay carries the download.
        long second = downloadUntilStopped(provider, target, socks);
        assertThat(Books.of(providerDir, nodes, clientDir.address(), Debtor.PEER).ledger().used())
                .as("the provider's meter, written down when it stopped").isGreaterThanOrEqualTo(
                        Amount.of(PRICE_PER_BYTE * (first + second)));
    }

    /** Streams through the client's entry, stops {@code node} (as on SIGTERM) mid-stream; returns what curl got. */
    private static long downloadUntilStopped(InProcess node, PacedServer target, int socks) throws Exception {
        try (Curl.Download download = Curl.stream(Curl.socks(socks), target.endless())) {
            Downloads.await(() -> download.bytes() >= 2 * BODY, Duration.ofSeconds(60));
            node.stop();
            Downloads.await(() -> !download.isRunning(), Duration.ofSeconds(30));
            return download.bytes();
        }
    }

    /** How a run with crashes ended: both nodes' books, every proof on the wire, and what curl and the source saw. */
    private record CrashRun(Books client, Books provider, long channelsOnChain, List<Pay> pays, long curlReceived,
                            long served, long requests) {

        /** What the client paid, by the newest proof it signed. */
        Amount paid() {
            return client.channel().sent().map(p -> p.message().transferred()).orElse(Amount.ZERO);
        }
    }

    /**
     * Starts both nodes as processes, downloads through the client's entry while each node in turn is killed at a
     * random point and restarted ({@link #ROUNDS} times, the order drawn from a logged seed), lets the client pay
     * what it owes, stops both and reads their databases.
     */
    private CrashRun runWithCrashes() throws Exception {
        long seed = Long.getLong("turnpike.crash.seed", System.nanoTime());
        System.out.printf("CrashRecoveryTest seed %d (repeat with -Dturnpike.crash.seed=%d)%n", seed, seed);
        Random random = new Random(seed);

        PacedServer target = open(new PacedServer(PACE));
        TestNodes nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised providerDir = nodes.datadir("provider", 1);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        int socks = FreePort.take();
        PeerLink link = open(new PeerLink(providerPeer));
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, Long.toString(PRICE_PER_BYTE), THRESHOLD,
                125_000) + api());
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), link.port(), relay, FreePort.take(),
                socks, "1s") + api());
        OperatorProcess provider = started(providerDir);
        OperatorProcess client = started(clientDir);

        long curlReceived;
        try (Traffic traffic = new Traffic(socks, target.body(BODY))) {
            List<OperatorProcess> victims = new ArrayList<>(List.of(client, provider, client, provider));
            Collections.shuffle(victims, random);
            for (OperatorProcess victim : victims.subList(0, ROUNDS)) {
                traffic.awaitProgress();
                // A random moment mid-stream: the timing of the fault, not a wait for anything.
                TimeUnit.MILLISECONDS.sleep(random.nextInt(1500));
                System.out.printf("CrashRecoveryTest: killing the %s%n", victim == client ? "client" : "provider");
                victim.kill();
                victim.start();
            }
            traffic.awaitProgress();
            traffic.stop();
            curlReceived = traffic.received();
        }

        // Quiet: the client pays what it still owes and the provider acknowledges it. A node prices what it relayed at
        // its next accounting tick, so the books count as quiet only once both meters have stopped moving and the
        // payments have caught up with them: an earlier look could see the last bytes not yet priced.
        try (ApiClient atClient = api(clientDir); ApiClient atProvider = api(providerDir)) {
            try {
                AtomicReference<List<Amount>> meters = new AtomicReference<>(List.of());
                AtomicLong unchangedSince = new AtomicLong();
                Downloads.await(() -> {
                    PeerView c = single(atClient.peers());
                    PeerView p = single(atProvider.peers());
                    List<Amount> now = List.of(c.used(), p.used());
                    if (!now.equals(meters.getAndSet(now))) {
                        unchangedSince.set(System.nanoTime());
                    }
                    // Several accounting ticks (200 ms) with nothing new metered on either side.
                    boolean steady = System.nanoTime() - unchangedSince.get() >= STEADY.toNanos();
                    return steady && c.owed().isZero() && c.inFlight().isZero() && p.owed().isZero()
                            && p.paid().equals(c.paid());
                }, Duration.ofSeconds(30));
            } catch (AssertionError notSettled) {
                throw new AssertionError("not settled: client " + atClient.peers() + ", provider " + atProvider.peers()
                        + "\n--- client log\n" + client.log() + "\n--- provider log\n" + provider.log(), notSettled);
            }
        }
        client.stop("TERM");
        provider.stop("TERM");

        CrashRun run = new CrashRun(Books.of(clientDir, nodes, providerDir.address(), Debtor.US),
                Books.of(providerDir, nodes, clientDir.address(), Debtor.PEER), nodes.contract.channelCount(),
                link.seen(true, Pay.class), curlReceived, target.served(), target.requests());
        System.out.printf("CrashRecoveryTest: %d proofs, paid %s wei; used by the provider's meter %s, by the "
                        + "client's %s; curl received %d bytes in %d requests, the source sent %d%n", run.pays().size(),
                run.paid(), run.provider().ledger().used(), run.client().ledger().used(), curlReceived, run.requests(),
                run.served());
        return run;
    }

    /** The node on {@code dir} in a process of its own, started, and stopped after the test whatever happens. */
    private OperatorProcess started(DataDirs.Initialised dir) throws InterruptedException {
        OperatorProcess node = open(OperatorProcess.node(dir.home(), dir.passphraseFile()));
        node.start();
        return node;
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    /** The HTTP API on a port of its own, so that two nodes run side by side and the test can read their views. */
    private static String api() {
        return "\napi { bind = \"127.0.0.1\", port = " + FreePort.take() + " }";
    }

    private static ApiClient api(DataDirs.Initialised dir) {
        return ApiClient.of(dir.home(), dir.home().loadConfig(new Environment(Map.of(), Map.of(), Optional.empty())));
    }

    private static PeerView single(List<PeerView> views) {
        assertThat(views).hasSize(1);
        return views.get(0);
    }

    /** A node in this JVM that the test stops and starts again, as an operator does with SIGTERM and `turnpike node`. */
    private static final class InProcess implements AutoCloseable {

        private final TestNodes nodes;
        private final DataDirs.Initialised dir;
        private TurnpikeNode node;

        InProcess(TestNodes nodes, DataDirs.Initialised dir) throws InterruptedException {
            this.nodes = nodes;
            this.dir = dir;
            start();
        }

        /** Starts the node; a client's returns once it has a route through its provider. */
        void start() throws InterruptedException {
            node = nodes.start(dir);
            TurnpikeNode started = node;
            if (started.payments().isPresent()) {
                Downloads.await(() -> started.providerChoice().chosen(BandwidthService.NAME).isPresent(),
                        Duration.ofSeconds(60));
            }
        }

        TurnpikeNode node() {
            return node;
        }

        /** What the shutdown hook of `turnpike node` does. */
        void stop() {
            node.close();
            node.context().close();
            node = null;
        }

        @Override
        public void close() {
            if (node != null) {
                stop();
            }
        }
    }

    /** What a stopped node wrote down about its one peer: the channel and the ledger, read from its database. */
    private record Books(Channel channel, LedgerBalance ledger) {

        static Books of(DataDirs.Initialised dir, TestNodes nodes, Address peer, Debtor debtor) {
            try (Store store = Store.open(StoreConfig.sqlite(dir.directory()),
                    new NodeIdentity(dir.address(), nodes.anvil.chainId(), nodes.contract.address()))) {
                List<Channel> channels = store.channels().list();
                assertThat(channels).as("channels in %s", dir.directory()).hasSize(1);
                return new Books(channels.get(0),
                        store.ledger().get(new LedgerKey(peer, Asset.ETH.token(), debtor)));
            }
        }
    }

    /**
     * curl fetching through the client's local entry, one download after another, whatever happens to the nodes:
     * a download cut short by a crash counts what arrived, and the next one starts once the entry answers again.
     */
    private static final class Traffic implements AutoCloseable {

        private final AtomicLong received = new AtomicLong();
        private final Thread loop;
        private volatile boolean stopping;

        Traffic(int socksPort, URI body) {
            loop = Thread.ofPlatform().daemon().name("downloads").start(() -> {
                while (!stopping) {
                    Curl.Result result = Curl.fetch(Curl.socks(socksPort), body);
                    received.addAndGet(result.bytes());
                    if (!result.succeeded()) {
                        pause(); // the entry or the relay is down; a node is restarting
                    }
                }
            });
        }

        long received() {
            return received.get();
        }

        /** Waits until data flows again: a good part of a download has arrived since the call. */
        void awaitProgress() throws InterruptedException {
            long from = received();
            Downloads.await(() -> received() >= from + BODY / 2, Duration.ofSeconds(60));
        }

        /** Lets the download under way finish, and starts no other. */
        void stop() throws InterruptedException {
            stopping = true;
            assertThat(loop.join(Duration.ofSeconds(90))).as("the last download ends").isTrue();
        }

        @Override
        public void close() {
            stopping = true;
        }

        private static void pause() {
            try {
                TimeUnit.MILLISECONDS.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
