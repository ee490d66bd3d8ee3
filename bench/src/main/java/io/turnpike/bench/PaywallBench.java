package io.turnpike.bench;

import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Amount;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.demo.PaywallNodes;
import io.turnpike.node.paywall.PaywallClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Paid requests per second through a provider node's paywall, on anvil, in one run: {@code turnpike-channel} (a client
 * node paying from its channel: one proof signed and written down on each side, no transaction), {@code exact} (a
 * payer without a node: an EIP-3009 authorization verified against the chain and settled by the provider's
 * transaction manager, one transaction a request), and the same requests sent unpaid straight to the backend. One
 * client, one request at a time, as a payer holding one channel must: a channel's proofs are cumulative, so the next
 * is signed once the last was taken.
 *
 * <pre>./turnpike bench paywall [warmup=2] [measure=5] [rounds=3]</pre>
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
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "2")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", "5")));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.out.printf(Locale.ROOT, "Paid requests through a provider node's paywall on anvil, one client, one request "
                        + "at a time; %d cores, %s %s; %d s warm-up, %d s measured, %d rounds%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), warmup.toSeconds(), measure.toSeconds(), rounds);
        Path work = Files.createTempDirectory("turnpike-bench-paywall");
        try (Anvil anvil = Anvil.start(31337);
                PaywallNodes nodes = PaywallNodes.start(anvil, work, "90", "max-per-request = \"" + PaywallNodes.PRICE
                        + "\", max-per-day = \"1000000000000\"");
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            NodeConfig.PaywallCaps caps = nodes.client.context().config().client().paywall();
            PaywallClient channelPayer = nodes.client.paywallClient();
            PrivateKey exactKey = PrivateKey.random(new SecureRandom());
            nodes.mint(exactKey.address(), Amount.parse("1000", 6));
            PaywallClient exactPayer = new PaywallClient(exactKey, anvil.chainId(), nodes.asset, Optional.empty(),
                    Optional.empty(), work.resolve("exact-spending"), Clock.systemUTC(), new SecureRandom());
            HttpRequest paid = HttpRequest.newBuilder(nodes.paid("/api/quote")).build();
            HttpRequest direct = HttpRequest.newBuilder(nodes.direct("/v1/quote")).build();
            Map<String, PaidPath> paths = new LinkedHashMap<>();
            paths.put("channel", () -> expectPaid(channelPayer.fetch(paid, caps)));
            paths.put("exact", () -> expectPaid(exactPayer.fetch(paid, caps)));
            paths.put("direct", () -> expect200(http.send(direct, HttpResponse.BodyHandlers.ofByteArray())));

            Map<String, double[]> perRound = new LinkedHashMap<>();
            paths.keySet().forEach(name -> perRound.put(name, new double[rounds]));
            for (int round = 0; round < rounds; round++) {
                for (Map.Entry<String, PaidPath> path : paths.entrySet()) {
                    run(path.getValue(), warmup);
                    double rate = run(path.getValue(), measure);
                    perRound.get(path.getKey())[round] = rate;
                    System.out.printf(Locale.ROOT, "  round %d %-8s %10.1f requests/s%n", round + 1, path.getKey(),
                            rate);
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
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Requests completed per second over {@code time}, one after the other. */
    private static double run(PaidPath path, Duration time) throws Exception {
        long started = System.nanoTime();
        long deadline = started + time.toNanos();
        long requests = 0;
        long now;
        do {
            path.request();
            requests++;
            now = System.nanoTime();
        } while (now < deadline);
        return requests * 1e9 / (now - started);
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
