package io.turnpike.node.daemon;

import static io.turnpike.protocol.PeerPortProbe.CLOSE_MESSAGE_TOO_LARGE;
import static io.turnpike.protocol.PeerPortProbe.FRAGMENT;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.chain.SharedAnvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.fixtures.DataDirs;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.protocol.PeerLimits;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerPortProbe;
import io.turnpike.protocol.RawPeer;
import io.turnpike.protocol.TcpPeer;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security probe's attacks on a running provider node's peer port (issue 9), each made while a client node buys
 * bandwidth from the same provider through its SOCKS entry: every attacker is cut off at its limit, the heap stays
 * within {@link #HEAP_BOUND} of what it was before the attack, and the client's fetches keep succeeding and what it
 * has paid keeps rising, during the attack and after it; once the client stops, the two nodes' ledgers agree to the
 * wei. ({@link HostilePeerTest} is the other hostile peer: one that speaks the protocol and lies about money.)
 *
 * <p>Provider and client run in this JVM, so the heap measured is both nodes' and the attackers'.
 */
class HostilePeersTest {

    /**
     * The peer port's limits in the node: its settings name only the two connection caps, the rest are the
     * defaults — 128 KiB messages (8 KiB before the handshake), 64 KiB or 256 answers queued, 8 KiB of upgrade request,
     * 5 s to upgrade.
     */
    private static final PeerLimits LIMITS = PeerLimits.defaults();
    private static final int MAX_CONNECTIONS = 400;
    private static final int MAX_CONNECTIONS_PER_ADDRESS = 32;
    /**
     * Where the raw TCP attackers connect from: ten addresses, so 300 idle connections are 30 from each, under the
     * per-address cap, and each has to wait for the upgrade deadline.
     */
    private static final List<String> ATTACKER_ADDRESSES =
            IntStream.range(10, 20).mapToObj(n -> "127.0.0." + n).toList();

    /**
     * Where an attack that no limit stops gives up: 128 MiB of message or header, a million requests never read (about
     * 100 MiB of answers, at the probe's 4M requests for 418 MB). Each is several times {@link #HEAP_BOUND}.
     */
    private static final long ENDLESS_BYTES = 128L * 1024 * 1024;
    private static final long ENDLESS_REQUESTS = 1_000_000;
    /** How far the used heap, after a full collection, may grow from before an attack to its height or its end. */
    private static final long HEAP_BOUND = 32L * 1024 * 1024;

    /** One fetch through the client's SOCKS entry; at 10 wei a byte, about 2.6 gwei. */
    private static final int BODY = 256 * 1024;
    private static final String PRICE_PER_BYTE = "10";
    /** Far above what the test spends: the client pays every second and is never throttled to the free tier. */
    private static final String THRESHOLD = "1000000000000000";
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path folder;

    private static TestNodes nodes;
    private static TurnpikeNode provider;
    private static TurnpikeNode client;
    private static Address clientAddress;
    private static Downloads target;
    private static int socks;
    private static PeerPortProbe probe;

    @BeforeAll
    static void startProviderAndPayingClient() throws InterruptedException {
        nodes = new TestNodes(SharedAnvil.get(), folder);
        DataDirs.Initialised providerDir = nodes.datadir("provider", 10);
        DataDirs.Initialised clientDir = nodes.datadir("client", 10);
        int providerPeer = FreePort.take();
        int relay = FreePort.take();
        socks = FreePort.take();
        nodes.configure(providerDir, TestNodes.provider(providerPeer, relay, PRICE_PER_BYTE, THRESHOLD, 125_000)
                + "peer { max-connections = " + MAX_CONNECTIONS + ", max-connections-per-address = "
                + MAX_CONNECTIONS_PER_ADDRESS + " }\n");
        nodes.configure(clientDir, TestNodes.client(providerDir.address(), providerPeer, relay, FreePort.take(),
                socks, "1s"));
        provider = nodes.start(providerDir);
        client = nodes.start(clientDir);
        clientAddress = clientDir.address();
        Downloads.await(() -> client.providerChoice().chosen(BandwidthService.NAME).isPresent(), PATIENCE);
        target = new Downloads(BODY);
        probe = new PeerPortProbe(provider.peerPort(), nodes.contract.domain());
    }

    @AfterAll
    static void stopNodes() {
        for (TurnpikeNode node : new TurnpikeNode[] {client, provider}) {
            if (node != null) {
                node.close();
                node.context().close();
            }
        }
        if (target != null) {
            target.close();
        }
    }

    @Test
    void anEndlessMessageBeforeTheHandshakeIsClosedOneFragmentPastTheHandshakeLimit() throws Exception {
        int limit = LIMITS.maxHandshakeMessageBytes();
        underAttack("endless fragmented message before the handshake", heap -> {
            try (RawPeer attacker = probe.unauthenticated()) {
                long sent = PeerPortProbe.sendEndlessMessage(attacker, limit, ENDLESS_BYTES);
                heap.sample();

                assertThat(sent).isEqualTo(limit + FRAGMENT);
                assertThat(attacker.awaitClose()).isEqualTo(CLOSE_MESSAGE_TOO_LARGE);
            }
        });
    }

    @Test
    void anEndlessMessageAfterTheHandshakeIsClosedOneFragmentPastTheMessageLimit() throws Exception {
        int limit = LIMITS.maxMessageBytes();
        // A free key, as the probe's: it costs the attacker nothing to become a peer.
        PrivateKey key = TestNodes.newKey();
        underAttack("endless fragmented message after the handshake", heap -> {
            try (RawPeer attacker = probe.authenticatedAs(key)) {
                long sent = PeerPortProbe.sendEndlessMessage(attacker, limit, ENDLESS_BYTES);
                heap.sample();

                assertThat(sent).isEqualTo(limit + FRAGMENT);
                assertThat(attacker.awaitClose()).isEqualTo(CLOSE_MESSAGE_TOO_LARGE);
            }
        });
    }

    @Test
    void aPeerThatNeverReadsIsDisconnectedOnceItsUnreadAnswersPassTheCap() throws Exception {
        PrivateKey key = TestNodes.newKey();
        underAttack("a peer that never reads", heap -> {
            try (TcpPeer slowReader = probe.authenticatedWithASmallReceiveBuffer(key)) {
                Downloads.await(() -> connectedToProvider(key.address()), PATIENCE);
                // Every request is answered with a session token that the peer leaves unread.
                long sent = PeerPortProbe.sendWithoutReading(slowReader, new SessionRequest(BandwidthService.NAME),
                        ENDLESS_REQUESTS);
                heap.sample();

                // Cut off by the provider, while the attacker still holds its end open.
                assertThat(sent).as("requests sent before the provider cut the connection")
                        .isLessThan(ENDLESS_REQUESTS);
                Downloads.await(() -> !connectedToProvider(key.address()), PATIENCE);
            }
        });
    }

    @Test
    void aFloodOfChannelSyncsCostsTheProviderOneChainLookupAtATimeAndTheFlooderIsCutOff() throws Exception {
        PrivateKey key = TestNodes.newKey();
        Eip712Domain domain = nodes.contract.domain();
        // Each names a channel the provider must look up on chain; past the few that wait, each is refused.
        ChannelSync lookup = new ChannelSync(123_456_789L, domain.chainId(), domain.verifyingContract(), 0, 0);
        underAttack("a flood of channel.sync", heap -> {
            try (TcpPeer flooder = probe.authenticatedWithASmallReceiveBuffer(key)) {
                Downloads.await(() -> connectedToProvider(key.address()), PATIENCE);
                long sent = PeerPortProbe.sendWithoutReading(flooder, lookup, ENDLESS_REQUESTS);
                heap.sample();

                assertThat(sent).as("messages sent before the provider cut the connection").isLessThan(ENDLESS_REQUESTS);
                Downloads.await(() -> !connectedToProvider(key.address()), PATIENCE);
            }
        });
    }

    @Test
    void anUpgradeRequestWhoseHeaderNeverEndsIsRefusedAtTheHeaderLimit() throws Exception {
        underAttack("endless upgrade header", heap -> {
            try (TcpPeer attacker = probe.sendEndlessUpgradeHeader(LIMITS.maxRequestHeaderBytes(), ENDLESS_BYTES)) {
                heap.sample();

                assertThat(attacker.readResponseHead()).startsWith("HTTP/1.1 431");
                assertThat(attacker.closedWithin(millis(PATIENCE))).isTrue();
            }
        });
    }

    @Test
    void threeHundredConnectionsThatNeverUpgradeAreClosedAtTheUpgradeDeadline() throws Exception {
        // The deadline, and a grace for the close to reach the attacker on a busy machine.
        Duration deadline = LIMITS.upgradeTimeout().plusSeconds(5);
        underAttack("300 idle connections before the upgrade", heap -> {
            List<TcpPeer> idle = probe.openIdleConnections(300, ATTACKER_ADDRESSES);
            long closedBy = System.nanoTime() + deadline.toNanos();
            try {
                heap.sample();
                for (TcpPeer connection : idle) {
                    int left = Math.max(1, millis(Duration.ofNanos(closedBy - System.nanoTime())));
                    assertThat(connection.closedWithin(left)).as("closed by the provider within %s of opening", deadline)
                            .isTrue();
                }
            } finally {
                for (TcpPeer connection : idle) {
                    connection.close();
                }
            }
        });
    }

    @Test
    void fiveHundredGarbageFramesAreEachAnsweredWithACloseFrame() throws Exception {
        underAttack("500 garbage frames", heap -> {
            for (int i = 0; i < 500; i++) {
                // 1002 protocol error, 1007 bad data, 1008 policy: each kind refused as what it is.
                assertThat(probe.sendGarbageFrame(i, ATTACKER_ADDRESSES.get(i % ATTACKER_ADDRESSES.size())))
                        .as("the close code for garbage frame %d", i).isIn(1002, 1007, 1008);
            }
            heap.sample();
        });
    }

    /**
     * Makes the attack round after round while the client fetches, until the client has fetched twice more and paid
     * more than before the first round; then checks the heap, that the client goes on being served and paying after
     * the attack, and, once it stops, that both nodes' books agree.
     */
    private void underAttack(String vector, Attack attack) throws Exception {
        HeapWatch heap = new HeapWatch();
        Amount paidBefore = paidByClient();
        int rounds = 0;
        Amount paidDuring;
        Amount paidAfter;
        try (Fetching fetching = new Fetching()) {
            int fetchedBefore = fetching.completed();
            long giveUp = System.nanoTime() + PATIENCE.toNanos();
            do {
                attack.round(heap);
                rounds++;
                assertThat(System.nanoTime()).as("the client fetched and paid while under attack, within %s", PATIENCE)
                        .isLessThan(giveUp);
            } while (fetching.completed() < fetchedBefore + 2 || !paidByClient().isGreaterThan(paidBefore));
            paidDuring = paidByClient();
            heap.sample();

            int fetchedDuring = fetching.completed();
            Downloads.await(() -> fetching.completed() >= fetchedDuring + 2
                    && paidByClient().isGreaterThan(paidDuring), PATIENCE);
            paidAfter = paidByClient();
        }
        System.out.printf("%s: %d rounds; heap %d MiB before, %d MiB at most (bound +%d MiB); client paid %s wei before,"
                        + " %s during, %s after%n", vector, rounds, heap.before >> 20, heap.peak >> 20, HEAP_BOUND >> 20,
                paidBefore, paidDuring, paidAfter);
        assertThat(heap.peak - heap.before).as("heap growth under %s, bytes", vector).isLessThanOrEqualTo(HEAP_BOUND);
        assertTheLedgersAgree();
    }

    /** Once the client has paid all it owes, both nodes say the same to the wei: used, and paid. */
    private static void assertTheLedgersAgree() throws InterruptedException {
        Downloads.await(() -> {
            PeerView atClient = atClient();
            PeerView atProvider = atProvider();
            return atClient.owed().isZero() && atClient.used().equals(atProvider.used())
                    && atProvider.paid().equals(atProvider.used());
        }, PATIENCE);
        PeerView atClient = atClient();
        PeerView atProvider = atProvider();
        assertThat(atProvider.used()).isEqualTo(atClient.used()).isGreaterThan(Amount.ZERO);
        assertThat(atProvider.paid()).isEqualTo(atClient.paid()).isEqualTo(atClient.used());
    }

    /** What the client has paid the provider and had acknowledged, by its own ledger. */
    private static Amount paidByClient() {
        return atClient().paid();
    }

    private static PeerView atClient() {
        List<PeerView> views = client.payments().orElseThrow().views();
        assertThat(views).hasSize(1);
        return views.getFirst();
    }

    /** The provider's view of the paying client, among the attackers that authenticated. */
    private static PeerView atProvider() {
        return provider.provider().orElseThrow().views().stream().filter(v -> v.address().equals(clientAddress))
                .findFirst().orElseThrow();
    }

    private static boolean connectedToProvider(Address peer) {
        return provider.peers().find(peer).map(Peer::isConnected).orElse(false);
    }

    private static int millis(Duration duration) {
        return Math.toIntExact(duration.toMillis());
    }

    /** One round of an attack; it samples the heap where the attack holds the most it can. */
    @FunctionalInterface
    private interface Attack {
        void round(HeapWatch heap) throws Exception;
    }

    /** The used heap after a full collection: before an attack, and the highest sample since. */
    private static final class HeapWatch {

        final long before = usedAfterCollection();
        long peak = before;

        void sample() {
            peak = Math.max(peak, usedAfterCollection());
        }

        private static long usedAfterCollection() {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
    }

    /** The client's programs: fetches through its SOCKS entry, one after another, until closed. */
    private static final class Fetching implements AutoCloseable {

        private final AtomicInteger completed = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread = Thread.ofVirtual().name("paying-client").start(this::fetch);
        private volatile boolean closing;

        private void fetch() {
            try {
                while (!closing) {
                    assertThat(target.fetchThrough(socks)).isEqualTo(BODY);
                    completed.incrementAndGet();
                }
            } catch (Throwable failed) {
                failure.set(failed);
            }
        }

        /** Fetches completed so far; a fetch that failed fails the test here. */
        int completed() {
            Throwable failed = failure.get();
            if (failed != null) {
                throw new AssertionError("the paying client's fetch failed", failed);
            }
            return completed.get();
        }

        /** Lets the fetch under way finish, and stops. */
        @Override
        public void close() {
            closing = true;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the paying client's last fetch finished", e);
            }
            completed();
        }
    }
}
