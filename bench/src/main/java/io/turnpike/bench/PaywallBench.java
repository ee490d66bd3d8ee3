package io.turnpike.bench;

import com.sun.management.OperatingSystemMXBean;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FileTrees;
import io.turnpike.chain.tx.TxConfig;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.demo.DemoNodes;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.node.paywall.PaywallClient;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Paid requests per second through a provider node's paywall, on anvil, in one run: {@code turnpike-channel} (client
 * nodes paying from their channels: one proof signed and written down on each side, no transaction), {@code exact}
 * (payers without a node: an EIP-3009 authorization verified against the chain and settled by the provider's
 * transaction manager, one transaction a request), and the same requests sent unpaid straight to the backend. Each path
 * is driven by {@code clients} payers at once, each sending one request at a time — as a paywall is used: many payers,
 * each waiting for its answer, and a channel's proofs are cumulative, so one payer's next is signed once its last was
 * taken. Payers at once share the provider's commits (its store's group commit); one payer's requests cannot. Sixteen
 * by default: every payer here comes from 127.0.0.1 and keeps its connection open, and the paywall takes 32 connections
 * from one address, so the channel payers' and the exact payers' together must fit.
 *
 * <pre>./turnpike bench paywall [prime=45] [idle=5] [warmup=2] [measure=5] [rounds=3] [clients=16]</pre>
 *
 * After priming, the process's CPU over {@code idle} seconds with no requests is printed: the nodes' own background
 * work, which each path's CPU per request includes.
 *
 * Before the first round each path runs for a third of {@code prime} seconds, unmeasured: seventeen nodes in one
 * process give the JIT compiler a long queue, and until it has drained, the channel path — the one with the most code
 * — is measured at a fraction of its speed (in a run with 2 s warm-ups its CPU per request fell from 8.3 to 5.0 ms
 * over three rounds).
 *
 * Rounds alternate the three paths, so drift from other work hits each; figures are the median round. The last line
 * is {@code paywall: channel=C/s exact=E/s direct=D/s}.
 */
public final class PaywallBench {

    private PaywallBench() {
    }

    /** Sends one request and checks it was answered as it should be. */
    @FunctionalInterface
    private interface PaidPath {
        void request() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        Arrays.stream(args).map(arg -> arg.split("=", 2)).forEach(kv -> options.put(kv[0], kv[1]));
        Duration prime = Duration.ofSeconds(Long.parseLong(options.getOrDefault("prime", "45")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "2")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", "5")));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "16"));
        Duration idle = Duration.ofSeconds(Long.parseLong(options.getOrDefault("idle", "5")));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.out.printf(Locale.ROOT, "Paid requests through a provider node's paywall on anvil, %d clients at once, "
                        + "each one request at a time; %d cores, %s %s; %d s of all paths first, then %d s warm-up and "
                        + "%d s measured a path, %d rounds%n",
                clients, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), prime.toSeconds(), warmup.toSeconds(), measure.toSeconds(),
                rounds);
        Path work = Files.createTempDirectory("turnpike-bench-paywall");
        String clientCaps = "max-per-request = \"" + PaywallNodes.PRICE + "\", max-per-day = \"1000000000000\"";
        List<TurnpikeNode> moreClients = new ArrayList<>();
        try (Anvil anvil = Anvil.start(31337);
                PaywallNodes nodes = PaywallNodes.start(anvil, work, "90", clientCaps);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            NodeConfig.PaywallCaps caps = nodes.client.context().config().client().paywall();
            List<PaywallClient> channelPayers = new ArrayList<>(List.of(nodes.client.paywallClient()));
            List<PaywallClient> exactPayers = new ArrayList<>();
            for (int n = 0; n < clients; n++) {
                if (n > 0) {
                    // Each client would be a machine of its own: here they share this one, so they follow the chain
                    // at the default pace rather than the demo's 100 ms, lest polling anvil be most of what is measured.
                    TurnpikeNode client = nodes.startClient(work.resolve("client-" + n), "90", clientCaps,
                            "chain.poll-interval = 2s");
                    moreClients.add(client);
                    channelPayers.add(client.paywallClient());
                }
                PrivateKey exactKey = PrivateKey.random(new SecureRandom());
                nodes.mint(exactKey.address(), Amount.parse("1000", 6));
                exactPayers.add(nodes.exactPayer(exactKey, work.resolve("exact-payer-" + n)));
            }
            HttpRequest paid = HttpRequest.newBuilder(nodes.paid("/api/quote")).build();
            HttpRequest direct = HttpRequest.newBuilder(nodes.direct("/v1/quote")).build();
            Map<String, IntFunction<PaidPath>> paths = new LinkedHashMap<>();
            paths.put("channel", n -> () -> expectPaid(channelPayers.get(n).fetch(paid, caps)));
            paths.put("exact", n -> () -> expectPaid(exactPayers.get(n).fetch(paid, caps)));
            paths.put("direct", n -> () -> expect200(http.send(direct, HttpResponse.BodyHandlers.ofByteArray())));

            Map<String, double[]> perRound = new LinkedHashMap<>();
            paths.keySet().forEach(name -> perRound.put(name, new double[rounds]));
            // Anvil mines a block only when sent a transaction, so once exact's payers stop, the provider's
            // transaction manager would re-check its last settlements for a re-org on every tick, for ever, in the
            // rounds of the other paths too; a real chain moves on. Mined past the watch after each run of exact.
            Runnable settled = () -> anvil.mine(TxConfig.defaults().watchConfirmed() + 1);
            for (Map.Entry<String, IntFunction<PaidPath>> path : paths.entrySet()) {
                run(path.getValue(), clients, prime.dividedBy(paths.size()));
                if (path.getKey().equals("exact")) {
                    settled.run();
                }
            }
            System.out.printf(Locale.ROOT, "  idle: %.1f ms of CPU a second in this process, with no requests%n",
                    idleCpuMillisPerSecond(idle));
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, IntFunction<PaidPath>> path : paths.entrySet()) {
                    run(path.getValue(), clients, warmup);
                    Rate rate = run(path.getValue(), clients, measure);
                    if (path.getKey().equals("exact")) {
                        settled.run();
                    }
                    perRound.get(path.getKey())[round] = rate.perSecond();
                    System.out.printf(Locale.ROOT, "  round %d %-8s %10.1f requests/s, %6.2f ms of CPU a request in "
                            + "this process%n", round + 1, path.getKey(), rate.perSecond(), rate.cpuMillisEach());
                }
            }
            double channel = median(perRound.get("channel"));
            double exact = median(perRound.get("exact"));
            double directRate = median(perRound.get("direct"));
            System.out.printf(Locale.ROOT, "median: channel %.1f/s (%.1f x exact, %.2f x direct), exact %.1f/s, "
                    + "direct %.1f/s%n", channel, channel / exact, channel / directRate, exact, directRate);
            System.out.printf(Locale.ROOT, "paywall: channel=%.0f/s exact=%.0f/s direct=%.0f/s%n", channel, exact,
                    directRate);
        } finally {
            moreClients.forEach(DemoNodes::stop);
            FileTrees.delete(work);
        }
    }

    /**
     * Requests a second, and this process's CPU time per request (all nodes, client and provider, and the payers;
     * anvil's is its own): what the path costs whatever else the machine is running.
     */
    private record Rate(double perSecond, double cpuMillisEach) {
    }

    /**
     * Requests completed per second over {@code time} by {@code clients} payers at once, each sending its next when
     * its last was answered.
     */
    private static Rate run(IntFunction<PaidPath> path, int clients, Duration time) throws Exception {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        long deadline = started + time.toNanos();
        LongAdder requests = new LongAdder();
        try (ExecutorService payers = Executors.newFixedThreadPool(clients)) {
            List<Future<?>> running = new ArrayList<>();
            for (int n = 0; n < clients; n++) {
                PaidPath payer = path.apply(n);
                running.add(payers.submit(() -> {
                    do {
                        payer.request();
                        requests.increment();
                    } while (System.nanoTime() < deadline);
                    return null;
                }));
            }
            for (Future<?> payer : running) {
                payer.get();
            }
        }
        long elapsed = System.nanoTime() - started;
        long cpu = os.getProcessCpuTime() - cpuBefore;
        return new Rate(requests.sum() * 1e9 / elapsed, cpu / 1e6 / requests.sum());
    }

    /**
     * This process's CPU time a second over {@code time} with no payer running: what the seventeen nodes cost doing
     * nothing (following the chain, their schedulers), which the per-request figures include.
     */
    private static double idleCpuMillisPerSecond(Duration time) throws InterruptedException {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long started = System.nanoTime();
        Thread.sleep(time);
        return (os.getProcessCpuTime() - cpuBefore) / 1e6 / ((System.nanoTime() - started) / 1e9);
    }

    private static void expectPaid(PaywallClient.Answer answer) {
        if (answer.status() != 200 || answer.paid().isEmpty()) {
            throw new IllegalStateException("a paid request answered " + answer.status());
        }
    }

    private static void expect200(HttpResponse<byte[]> answer) throws IOException {
        if (answer.statusCode() != 200) {
            throw new IOException("the backend answered " + answer.statusCode());
        }
    }

    private static double median(double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
