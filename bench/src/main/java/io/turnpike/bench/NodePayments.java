package io.turnpike.bench;

import com.sun.management.OperatingSystemMXBean;
import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.channel.ChannelSide;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.NodeHome;
import io.turnpike.node.channel.ContractChannelChain;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.node.metrics.MicrometerMetrics;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;

/**
 * The node's own payments, end to end, on loopback: a real provider {@link TurnpikeNode} (its peer port, its
 * {@code Provider}, its SQLite store in a data directory on disk) is paid by payer nodes through the node's
 * payer path — a channel opened on anvil with {@link ContractChannelChain#open}, a {@link PeerClient} connection
 * with the signed handshake, the channel announced with {@code channel} (the provider checks it on chain and answers
 * with its own), and every payment {@code peer.channels().apply(channelId, Pay)} on the payer peer's executor in
 * {@link Peers}, with the payers' own SQLite store on disk: signed, written down, then sent. A payment counts when
 * the provider's receipt covering its nonce is back.
 *
 * <p>Figures, in one run: the sign + recover bound on two threads ({@code Signed.sign} then
 * {@code Signed.isSignedBy}, as fast as two threads can); payments per second on one channel with up to
 * {@code window} proofs outstanding; on one channel with one in flight (the payment engine's own policy, so the
 * latency of a lone payment); over {@code channels} channels (as many payer keys, each with its own connection), one
 * payment in flight on each; for each, latency from just before the proof is signed to its receipt arriving, p50 and
 * p99; and what one step costs on its own, for where the time goes. At the end every channel is drained and the
 * provider's stored proof is checked against what its payer stored, to the wei. The last line sums it up:
 * {@code one} is the pipelined channel, {@code many} the many channels, {@code ratio} the better of the two over the
 * bound, {@code p99_ms} the worse p99 of those two. With every channel kept busy, latency is outstanding payments
 * over throughput (Little's law), so the many-channel p99 says more about the throughput than about one payment.
 *
 * <p>Payer and provider share this JVM and its cores, and anvil runs beside them. The payers, which stand for as many
 * separate nodes, share one database here (each one's {@link Peers} is made before any channel is written, as a node
 * would start on an empty database of its own).
 *
 * <pre>./turnpike bench node-payments [warmup=3] [measure=10] [channels=1000] [window=64] [dir=/path]</pre>
 */
public final class NodePayments {

    private static final long CHAIN_ID = 31337;
    /** One gwei a payment, out of a one-ether deposit. */
    private static final Amount PRICE = Amount.of(1_000_000_000L);
    private static final Amount DEPOSIT = Amount.parse("1", 18);
    /** The deposit and the gas of opening. */
    private static final Amount PAYER_FUNDS = Amount.parse("2", 18);
    private static final Amount PROVIDER_FUNDS = Amount.parse("10", 18);
    private static final long CHALLENGE_PERIOD = 3600;
    /** Channels opened, connected and announced at once while setting up. */
    private static final int SETUP_PARALLELISM = 32;
    private static final Duration SETUP_WAIT = Duration.ofSeconds(60);
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);

    private final Settings settings;
    private final Path dir;
    private final SecureRandom random = new SecureRandom();

    private NodePayments(Settings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        // The nodes log every channel they adopt at info; the figures should not drown in a thousand of them.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings settings = Settings.parse(args);
        Path dir = Files.createTempDirectory(settings.dir, "turnpike-node-payments-");
        try {
            System.out.printf(Locale.ROOT, "Node payments end to end: %d cores, %s %s, %s, data under %s (%s)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), gcNames(), dir, Files.getFileStore(dir).type());
            System.out.printf(Locale.ROOT, "warm-up %d s, measured %d s per figure; one payment = %s wei;"
                    + " load average %.1f at the start%n%n", settings.warmup.toSeconds(), settings.measure.toSeconds(),
                    PRICE, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            new NodePayments(settings, dir).run();
        } catch (Exception | Error failure) {
            failure.printStackTrace();
            FileTrees.delete(dir);
            // What a failed run leaves behind (a peer client's thread pool, a node half stopped) must not keep the
            // JVM, and the command, waiting.
            System.exit(1);
        }
        FileTrees.delete(dir);
        System.exit(0);
    }

    private void run() throws Exception {
        Rate bound = signRecoverPerSecond(2);
        // Other work on the machine takes from the wall rate, not from the CPU per operation.
        System.out.printf(Locale.ROOT, "sign + recover bound, 2 threads: %,.0f/s (%.1f CPU µs each: %,.0f/s on two"
                + " otherwise idle cores)%n%n", bound.perSecond(), bound.cpuMicros(), 2e6 / bound.cpuMicros());
        printStepCosts();

        try (Anvil anvil = Anvil.start(CHAIN_ID); Chain chain = anvil.connect()) {
            ChainAccount operator = chain.account(anvil.devKeys().get(0));
            ChannelsContract contract = ChannelsContract.deploy(operator, 60, 30L * 24 * 3600);
            NodeHome home = DemoNodes.home(dir.resolve("provider"), operator, PROVIDER_FUNDS, random);
            int peerPort = FreePort.take();
            // The node's own chain poll interval (2 s), not the demos' 100 ms: each poll lists every channel.
            DemoNodes.configure(home, "chain { id = " + CHAIN_ID + ", rpc-urls = [\"" + anvil.rpcUrl()
                    + "\"], contract = \"" + contract.address() + "\", confirmations = 1 }\n"
                    // Every payer dials from 127.0.0.1: the per-address cap is for strangers, not this bench.
                    + "peer { bind = \"127.0.0.1\", port = " + peerPort + ", max-connections = 4096"
                    + ", max-connections-per-address = 4096 }\n"
                    + DemoNodes.provider(FreePort.take(), "10000", "10000000000000", "", ""));
            TurnpikeNode provider = DemoNodes.start(home, false);
            Path payerDir = Files.createDirectories(dir.resolve("payers"));
            ExecutorService peerThreads = Executors.newVirtualThreadPerTaskExecutor();
            ExecutorService background = Executors.newVirtualThreadPerTaskExecutor();
            Store payerStore = Store.open(StoreConfig.sqlite(payerDir),
                    new NodeIdentity(PrivateKey.random(random).address(), CHAIN_ID, contract.address()));
            List<PayingChannel> all = new ArrayList<>();
            try {
                Network network = new Network(anvil, chain, contract, provider.context().key().address(),
                        URI.create("ws://127.0.0.1:" + peerPort), payerStore, new MicrometerMetrics("bench", "ETH"),
                        peerThreads, background);
                // Every payer's peer first, while the shared database holds no channel of another payer.
                List<Payer> payers = network.payers(2 + settings.channels);

                List<PayingChannel> one = network.open(payers.subList(0, 1), settings.window);
                all.addAll(one);
                Measurement pipelined = measure("1 channel, up to " + settings.window + " outstanding", one);
                List<PayingChannel> lone = network.open(payers.subList(1, 2), 1);
                all.addAll(lone);
                measure("1 channel, 1 in flight", lone);
                long setupStart = System.nanoTime();
                List<PayingChannel> many = network.open(payers.subList(2, payers.size()), 1);
                all.addAll(many);
                System.out.printf(Locale.ROOT, "(%,d channels opened on anvil, connected and announced in %.1f s)%n",
                        many.size(), (System.nanoTime() - setupStart) / 1e9);
                Measurement spread = measure(settings.channels + " channels, 1 in flight each", many);

                verify(all, payerStore, provider, contract.domain());
                System.out.println("checked: every receipt and stored total matches");
                double best = Math.max(pipelined.perSecond(), spread.perSecond());
                double p99 = Math.max(pipelined.latencies().percentileMicros(99),
                        spread.latencies().percentileMicros(99));
                System.out.printf(Locale.ROOT,
                        "node-payments: one=%.0f/s many=%.0f/s bound=%.0f/s ratio=%.2f p99_ms=%.2f%n",
                        pipelined.perSecond(), spread.perSecond(), bound.perSecond(), best / bound.perSecond(),
                        p99 / 1000);
            } finally {
                all.forEach(PayingChannel::stop);
                for (PayingChannel channel : all) {
                    channel.peer().connection().ifPresent(PeerConnection::close);
                }
                DemoNodes.stop(provider);
                payerStore.close();
                peerThreads.shutdownNow();
                background.shutdownNow();
            }
        }
    }

    // ---------------------------------------------------------------- the payers

    /** One payer node: its key, its side of the chain, and its peer for the provider, on its own executor. */
    private record Payer(PrivateKey key, ContractChannelChain chain, Peer peer) {
    }

    /** What the payers share: the chain, the provider's address and port, their database, metrics and threads. */
    private record Network(Anvil anvil, Chain chain, ChannelsContract contract, Address provider, URI peerPort,
                           Store store, MetricsTracker metrics, ExecutorService peerThreads,
                           ExecutorService background) {

        /** {@code count} payer nodes, funded on anvil. */
        List<Payer> payers(int count) throws IOException {
            List<Payer> payers = new ArrayList<>(count);
            HttpService rpc = new HttpService(anvil.rpcUrl());
            try {
                for (int i = 0; i < count; i++) {
                    PrivateKey key = PrivateKey.random(new SecureRandom());
                    setBalance(rpc, key.address(), PAYER_FUNDS);
                    ContractChannelChain side = new ContractChannelChain(contract, chain.account(key), Asset.ETH,
                            CHALLENGE_PERIOD);
                    Peers peers = new Peers(store.channels(), side, key, contract.domain(), peerThreads, background,
                            metrics);
                    payers.add(new Payer(key, side, peers.of(provider)));
                }
            } finally {
                rpc.close();
            }
            return payers;
        }

        /**
         * Opens a channel from each payer on anvil, writes it down on the payer's side, connects, announces it and
         * waits for the provider's answer: the node's payer path up to its first payment.
         */
        List<PayingChannel> open(List<Payer> payers, int window) throws InterruptedException {
            ExecutorService setup = Executors.newFixedThreadPool(SETUP_PARALLELISM);
            try {
                List<Future<PayingChannel>> opening = new ArrayList<>();
                for (Payer payer : payers) {
                    opening.add(setup.submit(() -> open(payer, window)));
                }
                List<PayingChannel> open = new ArrayList<>();
                for (int i = 0; i < opening.size(); i++) {
                    try {
                        open.add(opening.get(i).get());
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("payer " + (i + 1) + " of " + payers.size() + ": "
                                + e.getCause().getMessage(), e.getCause());
                    }
                }
                return open;
            } finally {
                setup.shutdownNow();
            }
        }

        private PayingChannel open(Payer payer, int window) throws Exception {
            Channel opened = payer.chain().open(provider, DEPOSIT);
            Peer peer = payer.peer();
            peer.call(() -> peer.channels().adopt(opened)).get(SETUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            PayingChannel paying = new PayingChannel(peer, payer.key(), opened.channelId(), PRICE, window);
            PeerConnection connection;
            try {
                connection = PeerClient.connect(PeerConfig.of(payer.key(), contract.domain()), peerPort,
                        Optional.of(provider), paying).get(SETUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                // Every payer dials from 127.0.0.1: a peer port that limits connections per source address
                // turns away those beyond its limit.
                throw new IllegalStateException("could not connect to the provider's peer port at " + peerPort
                        + " (" + (e.getCause() == null ? e : e.getCause()) + "); all payers dial from 127.0.0.1,"
                        + " so a limit on connections per source address turns away those beyond it", e);
            }
            peer.connected(connection);
            // As the payment engine announces a channel: its id and where this node's proofs stand.
            peer.executor().execute(() -> peer.send(new ChannelSync(opened.channelId(), CHAIN_ID, contract.address(),
                    opened.sentNonce(), opened.receivedNonce())));
            paying.synced().get(SETUP_WAIT.toSeconds(), TimeUnit.SECONDS);
            return paying;
        }

        private static void setBalance(HttpService rpc, Address who, Amount wei) throws IOException {
            Response<?> response = new Request<>("anvil_setBalance",
                    List.of(who.toLowerHex(), "0x" + wei.value().toString(16)), rpc, VoidResponse.class).send();
            if (response.hasError()) {
                throw new IllegalStateException("anvil_setBalance failed: " + response.getError().getMessage());
            }
        }
    }

    // ---------------------------------------------------------------- measuring

    private Measurement measure(String name, List<PayingChannel> channels) throws Exception {
        channels.forEach(PayingChannel::start);
        TimeUnit.MILLISECONDS.sleep(settings.warmup.toMillis());
        Usage before = Usage.now();
        channels.forEach(PayingChannel::startRecording);
        TimeUnit.MILLISECONDS.sleep(settings.measure.toMillis());
        channels.forEach(PayingChannel::stopRecording);
        Usage used = Usage.now().since(before);
        channels.forEach(PayingChannel::stop);

        List<PayingChannel.Counts> counts = drain(name, channels);
        List<LatencySamples> samples = new ArrayList<>();
        for (PayingChannel channel : channels) {
            samples.add(channel.latencies().get(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS));
        }
        long payments = counts.stream().mapToLong(PayingChannel.Counts::recorded).sum();
        long receipts = counts.stream().mapToLong(PayingChannel.Counts::recordedReceipts).sum();
        long applyNanos = counts.stream().mapToLong(PayingChannel.Counts::applyNanos).sum();
        long applies = counts.stream().mapToLong(PayingChannel.Counts::applies).sum();
        Measurement measurement = new Measurement(name, payments * 1e9 / used.wallNanos(),
                LatencySamples.merge(samples), payments, receipts, applies == 0 ? 0 : applyNanos / 1e3 / applies, used);
        System.out.println(measurement.line());
        return measurement;
    }

    /** Waits until every payment signed is acknowledged; fails on the first channel that reported a failure. */
    private static List<PayingChannel.Counts> drain(String name, List<PayingChannel> channels) throws Exception {
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (true) {
            for (PayingChannel channel : channels) {
                Optional<String> failure = channel.failure();
                if (failure.isPresent()) {
                    throw new IllegalStateException(name + ": " + failure.get());
                }
            }
            List<PayingChannel.Counts> counts = new ArrayList<>();
            for (PayingChannel channel : channels) {
                counts.add(channel.counts().get(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS));
            }
            long open = counts.stream().filter(c -> !c.drained()).count();
            if (open == 0) {
                return counts;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": " + open + " channels still wait for receipts after "
                        + DRAIN_LIMIT.toSeconds() + " s");
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /**
     * Every channel, drained: the payer's stored proof is the newest it signed and pays exactly nonce × price, and the
     * provider's stored proof is that same proof, signed by the payer — to the wei.
     */
    private static void verify(List<PayingChannel> channels, Store payerStore, TurnpikeNode provider,
                               Eip712Domain domain) throws Exception {
        for (PayingChannel paying : channels) {
            long id = paying.channelId();
            PayingChannel.Counts counts = paying.counts().get(DRAIN_LIMIT.toSeconds(), TimeUnit.SECONDS);
            Channel paid = payerStore.channels().get(new ChannelRef(CHAIN_ID, domain.verifyingContract(), id))
                    .orElseThrow(() -> new IllegalStateException("the payer's store lost channel " + id));
            Channel held = provider.channel(id)
                    .orElseThrow(() -> new IllegalStateException("the provider's store has no channel " + id));
            Amount signed = PRICE.times(counts.signed());
            if (paid.sentNonce() != counts.signed() || !paid.sentTotal().equals(signed)) {
                throw new IllegalStateException("channel " + id + ": the payer stored nonce " + paid.sentNonce()
                        + " paying " + paid.sentTotal() + ", but signed " + counts.signed() + " payments of " + PRICE);
            }
            if (held.receivedNonce() != paid.sentNonce() || !held.receivedTotal().equals(paid.sentTotal())
                    || !held.received().equals(paid.sent())
                    || !held.received().map(p -> p.isSignedBy(paid.self(), domain)).orElse(counts.signed() == 0)) {
                throw new IllegalStateException("channel " + id + ": the provider stored nonce " + held.receivedNonce()
                        + " for " + held.receivedTotal() + " wei, the payer signed nonce " + paid.sentNonce() + " for "
                        + paid.sentTotal() + " wei");
            }
        }
    }

    /** Wall time, this process's CPU and GC time, from one instant or between two; the machine's load average. */
    private record Usage(long wallNanos, long cpuNanos, long gcMillis, double loadAverage) {

        static Usage now() {
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long gc = ManagementFactory.getGarbageCollectorMXBeans().stream()
                    .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
            return new Usage(System.nanoTime(), os.getProcessCpuTime(), gc, os.getSystemLoadAverage());
        }

        Usage since(Usage start) {
            // The load average is the machine's at the end: other work on it shows here.
            return new Usage(wallNanos - start.wallNanos, cpuNanos - start.cpuNanos, gcMillis - start.gcMillis,
                    loadAverage);
        }
    }

    /**
     * @param payments acknowledged while recording; {@code receipts} the receipts that acknowledged them
     * @param applyMicros mean time of the payer's {@code apply(Pay)}: sign, durable write, send
     */
    private record Measurement(String name, double perSecond, LatencySamples.Sorted latencies, long payments,
                               long receipts, double applyMicros, Usage usage) {

        String line() {
            return String.format(Locale.ROOT, "%-32s %,9.0f/s  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n"
                            + "  %,d payments in %.1f s, %.2f payments per receipt; payer apply(Pay) %.0f µs each;"
                            + " process CPU %.0f µs per payment; GC %d ms; load average %.1f",
                    name, perSecond, latencies.percentileMicros(50) / 1000, latencies.percentileMicros(99) / 1000,
                    latencies.maxMicros() / 1000, payments, usage.wallNanos() / 1e9,
                    receipts == 0 ? 0 : (double) payments / receipts, applyMicros,
                    payments == 0 ? 0 : usage.cpuNanos() / 1e3 / payments, usage.gcMillis(), usage.loadAverage());
        }
    }

    // ---------------------------------------------------------------- the bound and the steps

    /** Sign a balance proof and recover its signer, as fast as {@code threads} threads can. */
    private Rate signRecoverPerSecond(int threads) throws InterruptedException {
        Eip712Domain domain = Eip712Domain.turnpike(CHAIN_ID, Address.of("0x5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"));
        return opsPerSecond(threads, () -> {
            PrivateKey key = PrivateKey.random(random);
            long[] nonce = {0};
            return () -> {
                long n = ++nonce[0];
                Signed<BalanceProof> proof = Signed.sign(new BalanceProof(1, n, PRICE.times(n)), domain, key);
                if (!proof.isSignedBy(key.address(), domain)) {
                    throw new IllegalStateException("recovered another signer");
                }
            };
        }, settings.warmup, settings.measure);
    }

    /**
     * What one step of a payment costs on its own, one thread: the payer's transition (sign), the provider's
     * (recover and checks), and one durable write of a channel by itself (a commit, on this disk) — the step each
     * side takes once per proof today.
     */
    private void printStepCosts() throws InterruptedException, IOException {
        Eip712Domain domain = Eip712Domain.turnpike(CHAIN_ID, Address.of("0x5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"));
        PrivateKey payer = PrivateKey.random(random);
        PrivateKey payee = PrivateKey.random(random);
        ChannelSide deposit = new ChannelSide(DEPOSIT, Amount.ZERO);
        Channel paying = Channel.opened(domain, 1, payer.address(), payee.address(), Address.ZERO, Role.A,
                CHALLENGE_PERIOD, deposit, ChannelSide.EMPTY);
        Channel paid = Channel.opened(domain, 1, payee.address(), payer.address(), Address.ZERO, Role.B,
                CHALLENGE_PERIOD, ChannelSide.EMPTY, deposit);
        Signed<BalanceProof> proof = paying.transition(new Channel.Pay(PRICE, payer)).channel().sent().orElseThrow();
        LongAdder sink = new LongAdder();
        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("payer: Channel.transition(Pay), signing", () ->
                sink.add(paying.transition(new Channel.Pay(PRICE, payer)).channel().sentNonce()));
        steps.put("provider: Channel.transition(ReceiveProof), recovery and checks", () ->
                sink.add(paid.transition(new Channel.ReceiveProof(proof)).channel().receivedNonce()));
        System.out.printf(Locale.ROOT, "one step on its own, one thread:%n");
        Duration warm = Duration.ofSeconds(1);
        Duration measure = Duration.ofSeconds(2);
        for (Map.Entry<String, Runnable> step : steps.entrySet()) {
            Rate rate = opsPerSecond(1, step::getValue, warm, measure);
            System.out.printf(Locale.ROOT, "  %-68s %8.1f CPU µs%n", step.getKey(), rate.cpuMicros());
        }
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        try (Store store = Store.open(StoreConfig.sqlite(scratch),
                new NodeIdentity(payer.address(), CHAIN_ID, domain.verifyingContract()))) {
            Channel[] next = {paying};
            Rate rate = opsPerSecond(1, () -> () -> {
                next[0] = next[0].transition(new Channel.Pay(PRICE, payer)).channel();
                store.channels().put(next[0]);
            }, warm, measure);
            System.out.printf(Locale.ROOT, "  %-68s %8.1f CPU µs, %.1f µs wall%n%n",
                    "payer: transition(Pay) then ChannelStore.put, one writer alone", rate.processCpuMicros(),
                    1e6 / rate.perSecond());
        }
    }

    /** Runs one op per thread in a loop; ops completed per second over {@code measure}, after {@code warmup}. */
    private static Rate opsPerSecond(int threads, Supplier<Runnable> perThread, Duration warmup, Duration measure)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Runnable op = perThread.get();
            workers.add(Thread.ofPlatform().name("bench-op-" + i).start(() -> {
                while (running.get()) {
                    op.run();
                    done.increment();
                }
            }));
        }
        TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
        long before = done.sum();
        long cpuBefore = cpuNanos(workers);
        Usage start = Usage.now();
        TimeUnit.MILLISECONDS.sleep(measure.toMillis());
        long count = done.sum() - before;
        long cpu = cpuNanos(workers) - cpuBefore;
        Usage used = Usage.now().since(start);
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        return new Rate(count * 1e9 / used.wallNanos(), count == 0 ? 0 : cpu / 1e3 / count,
                count == 0 ? 0 : used.cpuNanos() / 1e3 / count);
    }

    /**
     * Ops per second of wall time; CPU µs per op of the threads doing them, and of the whole process (which counts
     * what they hand to other threads, such as the store's committer).
     */
    private record Rate(double perSecond, double cpuMicros, double processCpuMicros) {
    }

    private static long cpuNanos(List<Thread> threads) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return threads.stream().mapToLong(thread -> bean.getThreadCpuTime(thread.threadId())).sum();
    }

    // ---------------------------------------------------------------- settings

    private record Settings(Duration warmup, Duration measure, int channels, int window, Path dir) {

        static final String USAGE = "arguments: [warmup=<s>] [measure=<s>] [channels=<n>] [window=<n>]"
                + " [dir=<directory on the disk to measure>]";

        static Settings parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of("warmup", "3", "measure", "10",
                    "channels", "1000", "window", "64", "dir", System.getProperty("java.io.tmpdir")));
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq < 0 || !values.containsKey(arg.substring(0, eq))) {
                    throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
                }
                values.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            return new Settings(Duration.ofSeconds(Long.parseLong(values.get("warmup"))),
                    Duration.ofSeconds(Long.parseLong(values.get("measure"))), Integer.parseInt(values.get("channels")),
                    Integer.parseInt(values.get("window")), Path.of(values.get("dir")));
        }
    }

    private static String gcNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }
}
