package io.turnpike.bench;

import com.sun.management.OperatingSystemMXBean;
import fr.acinq.secp256k1.Secp256k1;
import io.turnpike.bench.PaymentReceiver.Mode;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerCodec;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerServer;
import io.turnpike.store.Channel;
import io.turnpike.store.ChannelRef;
import io.turnpike.store.ChannelSide;
import io.turnpike.store.ChannelState;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Role;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Off-chain payments per second end to end, on this machine: the payer signs ({@link PaymentChannel#pay}),
 * sends the proof over a real loopback WebSocket ({@link PeerClient} to {@link PeerServer}, after the mutual
 * signed handshake), the provider verifies it ({@link PaymentChannel#receive}), writes it down durably
 * ({@code ChannelStore.recordProof} on SQLite, WAL, {@code synchronous=FULL}, in a directory on disk) and
 * sends the receipt, and the payment counts once the payer has the receipt. Payers and provider share this
 * JVM and its cores.
 *
 * <p>In the same run, for comparison, the sign + recover bound (native libsecp256k1 signing and recovery of
 * one balance proof, on one and on two threads) and the single-threaded cost of each step of a payment.
 *
 * <pre>
 * ./turnpike bench PaymentsEndToEnd [warmup=3] [measure=8] [channels=100] [window=64] [only=one-1,many-1-inline,…] [dir=/path]
 * </pre>
 *
 * Scenarios (all by default): {@code one-1} one channel with one payment in flight, the node's policy, so
 * every payment waits for the previous receipt (latency-bound); {@code one-1-payer} the same with the
 * payer also writing its proof down before sending, as the node's payment engine does; {@code one-W-…} one
 * channel pipelined, up to W payments outstanding, for each {@link Mode} of the provider; {@code many-1-…}
 * 100 channels (100 payers, one connection each), one payment in flight on each.
 */
public final class PaymentsEndToEnd {

    private static final long CHAIN_ID = 31337;
    private static final Address CONTRACT = Address.of("0x5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e");
    private static final Eip712Domain DOMAIN = Eip712Domain.turnpike(CHAIN_ID, CONTRACT);
    /** One gwei a payment, out of a one-ether deposit: a million payments fit. */
    private static final Amount PRICE = Amount.of(1_000_000_000L);
    private static final Amount DEPOSIT = Amount.of(BigInteger.TEN.pow(18));
    private static final long CHALLENGE_PERIOD = 3600;
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    /** The statement ChannelStore.recordProof runs for a received proof, to time preparing it. */
    private static final String RECORD_PROOF_SQL = "UPDATE channels SET received_nonce = ?, received_transferred = ?,"
            + " received_signature = ? WHERE chain_id = ? AND contract = ? AND channel_id = ? AND received_nonce < ?";

    private final Settings settings;
    private final SecureRandom random = new SecureRandom();
    private final PrivateKey provider = PrivateKey.random(random);
    private final Store providerStore;
    private final Path dir;
    private long nextChannelId = 1;

    private PaymentsEndToEnd(Settings settings, Path dir) {
        this.settings = settings;
        this.dir = dir;
        this.providerStore = openStore(dir.resolve("provider"), provider.address());
    }

    public static void main(String[] args) throws Exception {
        // Opening a store logs its migrations at info; the figures should not drown in them.
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Settings settings = Settings.parse(args);
        Path dir = Files.createTempDirectory(settings.dir, "turnpike-payments-");
        try {
            System.out.printf(Locale.ROOT, "Payments end to end: %d cores, %s %s, %s, stores under %s (%s)%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), gcNames(), dir, Files.getFileStore(dir).type());
            System.out.printf(Locale.ROOT, "warm-up %d s, measured %d s per figure; one payment = %s wei%n%n",
                    settings.warmup.toSeconds(), settings.measure.toSeconds(), PRICE);
            PaymentsEndToEnd bench = new PaymentsEndToEnd(settings, dir);
            try {
                bench.runAll();
            } finally {
                bench.providerStore.close();
            }
        } finally {
            deleteTree(dir);
        }
    }

    private void runAll() throws Exception {
        Rate one = signRecoverPerSecond(1);
        Rate two = signRecoverPerSecond(2);
        System.out.printf(Locale.ROOT, "sign + recover bound (Signed.sign then Signed.signer, native libsecp256k1):%n"
                + "  1 thread  %,8.0f/s  (%.1f CPU µs each)%n  2 threads %,8.0f/s  (%.1f CPU µs each)%n%n",
                one.perSecond(), one.cpuMicros(), two.perSecond(), two.cpuMicros());

        printStepCosts();

        System.out.println(LEGEND);
        System.out.println(Result.HEADER);
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : settings.scenarios()) {
            Result result = run(scenario);
            results.add(result);
            System.out.println(result.line(one, two));
        }
        System.out.printf(Locale.ROOT, "%nSummary%n%s%n", Result.HEADER);
        results.forEach(result -> System.out.println(result.line(one, two)));
    }

    private static final String LEGEND = """
            End to end: ch = channels (one payer and one connection each), win = payments outstanding per channel,
            provider = where the provider waits for the durable write (inline: on the socket worker, as the node does),
            payer = whether the payer writes its proof down before sending (as the node's payment engine does).
            pays/s = receipts received per second; %b1, %b2 = of the sign + recover bound on 1 and 2 threads;
            %cpu = the bound's CPU per sign + recover over this run's process CPU per payment (what share of the
            CPU a payment costs is the unavoidable signature work; the ceiling on a machine with nothing else to do);
            latency from signing to the payer holding the receipt; sign, pwrite, verify, write = mean µs per payment
            in pay(), the payer's write, receive() and the provider's recordProof (waiting for its commit included);
            w/pay = durable writes per payment; cpu = process CPU µs per payment (payer and provider together).
            """;

    // ------------------------------------------------------------------ the bound and the step costs

    /** Sign a balance proof and recover its signer, as fast as {@code threads} threads can. */
    private Rate signRecoverPerSecond(int threads) throws InterruptedException {
        return opsPerSecond(threads, () -> {
            PrivateKey key = PrivateKey.random(random);
            long[] nonce = {0};
            return () -> {
                long n = ++nonce[0];
                Signed<BalanceProof> proof = Signed.sign(new BalanceProof(1, n, PRICE.times(n)), DOMAIN, key);
                if (!proof.signer(DOMAIN).equals(key.address())) {
                    throw new IllegalStateException("recovered another signer");
                }
            };
        });
    }

    /** Single-threaded µs per step of one payment, outside any connection: where the CPU goes. */
    private void printStepCosts() throws InterruptedException, SQLException {
        PrivateKey payer = PrivateKey.random(random);
        PaymentChannel paying = PaymentChannel.opened(1, DOMAIN, payer.address(), provider.address(), DEPOSIT,
                Amount.ZERO);
        PaymentChannel receiving = PaymentChannel.opened(1, DOMAIN, provider.address(), payer.address(), Amount.ZERO,
                DEPOSIT);
        Signed<BalanceProof> proof = paying.pay(PRICE, payer).proof();
        Pay pay = new Pay(proof);
        String payFrame = PeerCodec.encode(pay);
        Receipt receipt = new Receipt(1, 1, PRICE);
        String receiptFrame = PeerCodec.encode(receipt);
        LongAdder sink = new LongAdder();
        PaymentChannel[] channel = {paying};

        Map<String, Runnable> steps = new LinkedHashMap<>();
        steps.put("payer: PaymentChannel.pay (EIP-712 digest, sign, trial recovery for v)", () -> {
            PaymentChannel.Payment next = channel[0].pay(PRICE, payer);
            channel[0] = next.channel();
        });
        steps.put("payer: PeerCodec.encode(pay)", () -> sink.add(PeerCodec.encode(pay).length()));
        steps.put("provider: PeerCodec.decode(pay)", () -> sink.add(PeerCodec.decode(payFrame).type().length()));
        steps.put("provider: PaymentChannel.receive (digest, recover, checks)",
                () -> sink.add(receiving.receive(proof).credited().value().intValue()));
        steps.put("provider: PeerCodec.encode(receipt)", () -> sink.add(PeerCodec.encode(receipt).length()));
        steps.put("payer: PeerCodec.decode(receipt)", () -> sink.add(PeerCodec.decode(receiptFrame).type().length()));
        steps.put("(the digest alone: Eip712Domain.digest)", () -> sink.add(DOMAIN.digest(proof.message())[0]));
        // The native calls underneath, for what a change to core's signing would save.
        Secp256k1 secp = Secp256k1.Companion.get();
        byte[] digest = DOMAIN.digest(proof.message());
        byte[] secret = payer.bytes();
        byte[] compact = secp.sign(digest, secret);
        byte[] publicKey = secp.pubkeyCreate(secret);
        steps.put("(native ecdsa_sign, no recovery id)", () -> sink.add(secp.sign(digest, secret)[0]));
        steps.put("(native ecdsa_recover)", () -> sink.add(secp.ecdsaRecover(compact, digest, 0)[0]));
        steps.put("(native ecdsa_verify against a known public key)",
                () -> sink.add(secp.verify(compact, digest, publicKey) ? 1 : 0));
        steps.put("(native pubkey_create, one fixed-base multiplication)", () -> sink.add(secp.pubkeyCreate(secret)[0]));

        // The store prepares every statement afresh (sqlite-jdbc keeps no statement cache): what that costs.
        Path scratch = dir.resolve("scratch");
        openStore(scratch, provider.address()).close();
        Connection db = DriverManager.getConnection("jdbc:sqlite:" + scratch.resolve(StoreConfig.SQLITE_FILE));
        steps.put("(store: prepare + close recordProof's UPDATE, once per write today)", () -> {
            try (PreparedStatement statement = db.prepareStatement(RECORD_PROOF_SQL)) {
                sink.add(statement.getParameterMetaData().getParameterCount());
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });

        System.out.printf(Locale.ROOT, "CPU per step, one thread (CPU µs per call):%n");
        double total = 0;
        for (Map.Entry<String, Runnable> step : steps.entrySet()) {
            double micros = opsPerSecond(1, step::getValue, Duration.ofSeconds(1), Duration.ofSeconds(2)).cpuMicros();
            if (!step.getKey().startsWith("(")) {
                total += micros;
            }
            System.out.printf(Locale.ROOT, "  %-72s %8.2f%n", step.getKey(), micros);
        }
        try {
            db.close();
        } catch (SQLException ignored) {
            // A scratch database, deleted with the run's directory.
        }
        System.out.printf(Locale.ROOT, "  %-72s %8.2f%n  frames: pay %d bytes, receipt %d bytes%n%n",
                "sum of the steps above (excluding the digest line)", total, payFrame.length(), receiptFrame.length());
    }

    private Rate opsPerSecond(int threads, Supplier<Runnable> perThread) throws InterruptedException {
        return opsPerSecond(threads, perThread, settings.warmup, settings.measure);
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
        long start = System.nanoTime();
        TimeUnit.MILLISECONDS.sleep(measure.toMillis());
        long count = done.sum() - before;
        long cpu = cpuNanos(workers) - cpuBefore;
        long elapsed = System.nanoTime() - start;
        running.set(false);
        for (Thread worker : workers) {
            worker.join();
        }
        return new Rate(count * 1e9 / elapsed, count == 0 ? 0 : cpu / 1e3 / count);
    }

    /**
     * Ops per second of wall time, and CPU µs per op of the threads doing them: on a machine shared with
     * other work the first drops when the others take a core, the second does not.
     */
    private record Rate(double perSecond, double cpuMicros) {
    }

    private static long cpuNanos(List<Thread> threads) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        return threads.stream().mapToLong(thread -> bean.getThreadCpuTime(thread.threadId())).sum();
    }

    // ------------------------------------------------------------------ end to end

    private Result run(Scenario scenario) throws Exception {
        List<Store> payerStores = new ArrayList<>();
        List<PeerConnection> connections = new ArrayList<>();
        List<PayerStream> streams = new ArrayList<>();
        List<ChannelRef> refs = new ArrayList<>();
        try (PaymentReceiver receiver = new PaymentReceiver(scenario.mode, providerStore.channels());
             PeerServer server = PeerServer.start(PeerConfig.of(provider, DOMAIN),
                     new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), receiver)) {
            URI uri = URI.create("ws://127.0.0.1:" + server.port());
            for (int i = 0; i < scenario.channels; i++) {
                PrivateKey payer = PrivateKey.random(random);
                ChannelRef ref = new ChannelRef(CHAIN_ID, CONTRACT, nextChannelId++);
                providerStore.channels().put(storedChannel(ref, provider.address(), payer.address(), Role.B,
                        ChannelSide.EMPTY, new ChannelSide(DEPOSIT, Amount.ZERO)));
                receiver.open(payer.address(), ref, PaymentChannel.opened(ref.channelId(), DOMAIN, provider.address(),
                        payer.address(), Amount.ZERO, DEPOSIT));
                Optional<PayerStream.PayerStore> payerStore = Optional.empty();
                if (scenario.payerWrites) {
                    Store store = openStore(dir.resolve("payer-" + ref.channelId()), payer.address());
                    payerStores.add(store);
                    store.channels().put(storedChannel(ref, payer.address(), provider.address(), Role.A,
                            new ChannelSide(DEPOSIT, Amount.ZERO), ChannelSide.EMPTY));
                    payerStore = Optional.of(new PayerStream.PayerStore(store.channels(), ref));
                }
                PayerStream stream = new PayerStream(payer, PaymentChannel.opened(ref.channelId(), DOMAIN,
                        payer.address(), provider.address(), DEPOSIT, Amount.ZERO), PRICE, scenario.window, payerStore);
                PeerConnection connection = PeerClient.connect(PeerConfig.of(payer, DOMAIN), uri,
                        Optional.of(provider.address()), stream).get(30, TimeUnit.SECONDS);
                stream.connected(connection);
                connections.add(connection);
                streams.add(stream);
                refs.add(ref);
            }
            List<Thread> senders = new ArrayList<>();
            for (int i = 0; i < streams.size(); i++) {
                senders.add(Thread.ofPlatform().name("payer-" + i).daemon().start(streams.get(i)::run));
            }

            TimeUnit.MILLISECONDS.sleep(settings.warmup.toMillis());
            receiver.drainCounters();
            Usage before = Usage.now();
            streams.forEach(PayerStream::startRecording);
            TimeUnit.MILLISECONDS.sleep(settings.measure.toMillis());
            streams.forEach(PayerStream::stopRecording);
            Usage used = Usage.now().since(before);
            PaymentReceiver.Counters counters = receiver.drainCounters();

            streams.forEach(PayerStream::stop);
            for (Thread sender : senders) {
                if (!sender.join(DRAIN_LIMIT)) {
                    throw new IllegalStateException(scenario.name + ": " + sender.getName() + " still sending after "
                            + DRAIN_LIMIT + ": " + Arrays.toString(sender.getStackTrace()));
                }
            }
            long drainBy = System.nanoTime() + DRAIN_LIMIT.toNanos();
            while (!streams.stream().allMatch(PayerStream::drained) && System.nanoTime() < drainBy) {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            for (PayerStream stream : streams) {
                Optional<String> failure = stream.failure();
                if (failure.isPresent()) {
                    throw new IllegalStateException(scenario.name + ": " + failure.get());
                }
                if (!stream.drained()) {
                    throw new IllegalStateException(scenario.name + ": receipts missing after " + DRAIN_LIMIT);
                }
            }
            // What the provider holds on disk for each channel is the newest proof its payer signed.
            for (int i = 0; i < streams.size(); i++) {
                long stored = providerStore.channels().get(refs.get(i)).orElseThrow().received()
                        .map(proof -> proof.message().nonce()).orElse(0L);
                if (stored != streams.get(i).signedNonce()) {
                    throw new IllegalStateException(scenario.name + ": channel " + refs.get(i).channelId() + " stored nonce "
                            + stored + ", but its payer signed up to " + streams.get(i).signedNonce());
                }
            }
            long payments = streams.stream().mapToLong(PayerStream::recorded).sum();
            long timed = streams.stream().mapToLong(PayerStream::timedPayments).sum();
            return new Result(scenario, payments * 1e9 / used.wallNanos,
                    LatencySamples.merge(streams.stream().map(PayerStream::latencies).toList()), counters, used,
                    payments,
                    micros(streams.stream().mapToLong(PayerStream::signNanos).sum(), timed),
                    micros(streams.stream().mapToLong(PayerStream::payerWriteNanos).sum(), timed));
        } finally {
            connections.forEach(PeerConnection::close);
            payerStores.forEach(Store::close);
        }
    }

    private static Channel storedChannel(ChannelRef ref, Address us, Address partner, Role role, ChannelSide ours,
                                         ChannelSide theirs) {
        return new Channel(ref, us, partner, Address.ZERO, role, ChannelState.OPEN, CHALLENGE_PERIOD, ours, theirs,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static Store openStore(Path directory, Address node) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + directory, e);
        }
        return Store.open(StoreConfig.sqlite(directory), new NodeIdentity(node, CHAIN_ID, CONTRACT));
    }

    private static double micros(long nanos, long count) {
        return count == 0 ? 0 : nanos / 1e3 / count;
    }

    // ------------------------------------------------------------------ scenarios and results

    private record Scenario(String name, int channels, int window, Mode mode, boolean payerWrites) {
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

    private record Result(Scenario scenario, double perSecond, LatencySamples.Sorted latencies,
                          PaymentReceiver.Counters receiver, Usage usage, long payments, double signMicros,
                          double payerWriteMicros) {

        static final String HEADER = String.format(Locale.ROOT,
                "%-20s %4s %4s %-8s %6s %9s %5s %5s %5s %8s %8s %8s %6s %6s %6s %7s %5s %6s",
                "scenario", "ch", "win", "provider", "payer", "pays/s", "%b1", "%b2", "%cpu", "p50 µs", "p99 µs",
                "max µs", "sign", "pwrite", "verify", "write", "w/pay", "cpu");

        String line(Rate bound1, Rate bound2) {
            PaymentReceiver.Counters c = receiver;
            double cpu = micros(usage.cpuNanos, payments);
            return String.format(Locale.ROOT,
                    "%-20s %4d %4d %-8s %6s %,9.0f %4.0f%% %4.0f%% %4.0f%% %8.0f %8.0f %8.0f %6.1f %6.1f %6.1f %7.1f %5.2f %6.1f",
                    scenario.name, scenario.channels, scenario.window, scenario.mode.name().toLowerCase(Locale.ROOT),
                    scenario.payerWrites ? "writes" : "-", perSecond, 100 * perSecond / bound1.perSecond(),
                    100 * perSecond / bound2.perSecond(), cpu == 0 ? 0 : 100 * bound2.cpuMicros() / cpu,
                    latencies.percentileMicros(50), latencies.percentileMicros(99), latencies.maxMicros(),
                    signMicros, payerWriteMicros, micros(c.verifyNanos(), c.verified()),
                    micros(c.writeNanos(), c.written()), c.verified() == 0 ? 0 : (double) c.written() / c.verified(), cpu)
                    + String.format(Locale.ROOT, "  (slowest write %.1f ms, gc %d ms, %d refused, load %.1f)",
                    c.slowestWriteNanos() / 1e6, usage.gcMillis, c.refused(), usage.loadAverage);
        }
    }

    private record Settings(Duration warmup, Duration measure, int channels, int window, List<String> only,
                            Path dir) {

        static final String USAGE = "arguments: [warmup=<s>] [measure=<s>] [channels=<n>] [window=<n>]"
                + " [only=<scenario>,…] [dir=<directory on the disk to measure>]";

        static Settings parse(String[] args) {
            Map<String, String> values = new LinkedHashMap<>(Map.of("warmup", "3", "measure", "8", "channels", "100",
                    "window", "64", "only", "", "dir", System.getProperty("java.io.tmpdir")));
            for (String arg : args) {
                int eq = arg.indexOf('=');
                if (eq < 0 || !values.containsKey(arg.substring(0, eq))) {
                    throw new IllegalArgumentException("unknown argument '" + arg + "'; " + USAGE);
                }
                values.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
            return new Settings(Duration.ofSeconds(Long.parseLong(values.get("warmup"))),
                    Duration.ofSeconds(Long.parseLong(values.get("measure"))), Integer.parseInt(values.get("channels")),
                    Integer.parseInt(values.get("window")),
                    values.get("only").isEmpty() ? List.of() : Arrays.asList(values.get("only").split(",")),
                    Path.of(values.get("dir")));
        }

        List<Scenario> scenarios() {
            String w = "one-" + window + "-";
            List<Scenario> all = List.of(
                    new Scenario("one-1", 1, 1, Mode.INLINE, false),
                    new Scenario("one-1-payer", 1, 1, Mode.INLINE, true),
                    new Scenario(w + "inline", 1, window, Mode.INLINE, false),
                    new Scenario(w + "handoff", 1, window, Mode.HANDOFF, false),
                    new Scenario(w + "newest", 1, window, Mode.NEWEST, false),
                    new Scenario("many-1-inline", channels, 1, Mode.INLINE, false),
                    new Scenario("many-1-handoff", channels, 1, Mode.HANDOFF, false));
            List<Scenario> chosen = only.isEmpty() ? all
                    : all.stream().filter(s -> only.contains(s.name)).toList();
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("no scenario named " + only + "; the scenarios are "
                        + all.stream().map(Scenario::name).toList());
            }
            return chosen;
        }
    }

    private static String gcNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
