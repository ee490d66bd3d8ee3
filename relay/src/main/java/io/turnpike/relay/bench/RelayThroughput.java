package io.turnpike.relay.bench;

import io.turnpike.core.Address;
import io.turnpike.relay.RelayConfig;
import io.turnpike.relay.RelayServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback throughput of one large HTTP download with the same client (curl), in the same run: direct,
 * through microsocks (a minimal C SOCKS5 server), and through the paid relay at full speed with metering.
 * Prints MiB/s per route (median of the rounds) and relay/microsocks; checks the relay metered every byte.
 *
 * <pre>java -cp relay/target/classes:core.jar io.turnpike.relay.bench.RelayThroughput [MiB=1024] [rounds=3]</pre>
 */
public final class RelayThroughput {

    private static final Address CLIENT = Address.of("0x" + "be".repeat(20));
    private static final String TOKEN = "bench-session-token";

    private RelayThroughput() {
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long bytes = mib << 20;
        AtomicLong metered = new AtomicLong();
        RelayConfig config = RelayConfig.listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withPrivateTargets(true); // the source is on loopback
        Process microsocks = null;
        try (ByteSource source = new ByteSource(bytes);
             RelayServer relay = RelayServer.start(config, (client, token) -> CLIENT.equals(client) && TOKEN.equals(token),
                     (peer, up, down) -> metered.addAndGet(up + down))) {
            int microsocksPort = freePort();
            microsocks = new ProcessBuilder("microsocks", "-i", "127.0.0.1", "-p", Integer.toString(microsocksPort))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            awaitListening(microsocksPort);

            Map<String, List<String>> routes = new LinkedHashMap<>();
            routes.put("direct", List.of());
            routes.put("microsocks", List.of("--socks5-hostname", "127.0.0.1:" + microsocksPort));
            routes.put("relay", List.of("--socks5-hostname", "127.0.0.1:" + relay.port(),
                    "--proxy-user", CLIENT + ":" + TOKEN));
            Map<String, double[]> speeds = new LinkedHashMap<>();
            routes.keySet().forEach(route -> speeds.put(route, new double[rounds]));
            long relayed = 0;

            System.out.printf("%d MiB over loopback, %d rounds, %d cores, %s %s%n", mib, rounds,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"));
            for (int round = 0; round < rounds; round++) { // interleaved, so drift hits every route alike
                for (Map.Entry<String, List<String>> route : routes.entrySet()) {
                    Transfer transfer = curl(route.getValue(), source.url());
                    if (transfer.bodyBytes() != bytes) {
                        throw new IllegalStateException(route.getKey() + " transferred " + transfer.bodyBytes());
                    }
                    if (route.getKey().equals("relay")) {
                        relayed += transfer.requestBytes() + transfer.headerBytes() + transfer.bodyBytes();
                    }
                    speeds.get(route.getKey())[round] = transfer.bodyBytes() / transfer.seconds() / (1 << 20);
                    System.out.printf("  round %d %-10s %8.1f MiB/s%n", round + 1, route.getKey(),
                            speeds.get(route.getKey())[round]);
                }
            }
            awaitIdle(relay);
            speeds.forEach((route, samples) -> System.out.printf("%-10s %8.1f MiB/s (median)%n", route, median(samples)));
            System.out.printf("relay/microsocks %.1f %%%n",
                    100 * median(speeds.get("relay")) / median(speeds.get("microsocks")));
            System.out.printf("relay metered %d bytes, curl transferred %d: %s%n", metered.get(), relayed,
                    metered.get() == relayed ? "exact" : "MISMATCH");
        } finally {
            if (microsocks != null) {
                microsocks.destroy();
            }
        }
    }

    private record Transfer(long requestBytes, long headerBytes, long bodyBytes, double seconds) {
    }

    private static Transfer curl(List<String> proxy, String url) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--output", "/dev/null",
                "--write-out", "%{size_request} %{size_header} %{size_download} %{time_total}"));
        command.addAll(proxy);
        command.add(url);
        Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String[] out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim().split(" ");
        if (curl.waitFor() != 0) {
            throw new IllegalStateException("curl failed: " + command);
        }
        return new Transfer(Long.parseLong(out[0]), Long.parseLong(out[1]), Long.parseLong(out[2]),
                Double.parseDouble(out[3]));
    }

    private static double median(double[] samples) {
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                new Socket(InetAddress.getLoopbackAddress(), port).close();
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
        throw new IllegalStateException("microsocks did not start listening on " + port + " (apt-get install microsocks)");
    }

    private static void awaitIdle(RelayServer relay) throws InterruptedException {
        for (int attempt = 0; attempt < 1000 && relay.openConnections() > 0; attempt++) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}
