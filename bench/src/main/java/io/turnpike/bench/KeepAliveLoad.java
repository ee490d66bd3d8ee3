package io.turnpike.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 load for the benches: raw keep-alive sockets, one virtual thread each with one request in flight, in the
 * bench's own JVM — on a small machine client and server share the cores, as a node's local callers do. Each
 * connection sends the same request bytes over and over and reads each 200 answer whole (by its Content-Length).
 */
final class KeepAliveLoad {

    /** One measured round: requests/s, CPU time per request (client and server together), latencies. */
    record Round(double perSecond, double cpuMicros, LatencySamples.Sorted latencies) {
    }

    /** A run's shape from {@code key=value} arguments: warmup and measure in seconds, rounds, connections. */
    record Options(Duration warmup, Duration measure, int rounds, int connections) {

        static Options parse(String[] args) {
            Map<String, String> given = new LinkedHashMap<>();
            Arrays.stream(args).map(arg -> arg.split("=", 2)).forEach(kv -> given.put(kv[0], kv[1]));
            return new Options(Duration.ofSeconds(Long.parseLong(given.getOrDefault("warmup", "1"))),
                    Duration.ofSeconds(Long.parseLong(given.getOrDefault("measure", "4"))),
                    Integer.parseInt(given.getOrDefault("rounds", "3")),
                    Integer.parseInt(given.getOrDefault("connections", "64")));
        }
    }

    private KeepAliveLoad() {
    }

    /** {@code connections} keep-alive connections to {@code port} send {@code request} for warm-up, then measure. */
    static Round run(int port, byte[] request, int connections, Duration warmup, Duration measure) throws Exception {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Client> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                all.add(new Client(new Socket(InetAddress.getLoopbackAddress(), port), request));
            }
            all.forEach(client -> clients.submit(client::loop));
            TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long started = System.nanoTime();
            all.forEach(client -> client.measuring = true);
            TimeUnit.MILLISECONDS.sleep(measure.toMillis());
            all.forEach(client -> client.measuring = false);
            long elapsed = System.nanoTime() - started;
            long cpu = os.getProcessCpuTime() - cpuBefore;
            all.forEach(Client::stop);
            clients.shutdown();
            clients.awaitTermination(10, TimeUnit.SECONDS);
            for (Client client : all) {
                if (client.failure != null) {
                    throw new IllegalStateException("a client failed", client.failure);
                }
            }
            List<LatencySamples> samples = all.stream().map(client -> client.latencies).toList();
            long requests = samples.stream().mapToLong(LatencySamples::size).sum();
            return new Round(requests * 1e9 / elapsed, cpu / 1e3 / requests, LatencySamples.merge(samples));
        }
    }

    /** The median round by requests/s. */
    static Round median(List<Round> rounds) {
        return rounds.stream().sorted((a, b) -> Double.compare(a.perSecond(), b.perSecond()))
                .toList().get(rounds.size() / 2);
    }

    /** One keep-alive connection with one request in flight; its samples are written by its own thread only. */
    private static final class Client {

        private final Socket socket;
        private final byte[] request;
        private final LatencySamples latencies = new LatencySamples();
        private volatile boolean measuring;
        private volatile boolean stopped;
        private volatile Exception failure;

        Client(Socket socket, byte[] request) {
            this.socket = socket;
            this.request = request;
        }

        void loop() {
            try (socket) {
                OutputStream out = socket.getOutputStream();
                InputStream in = new BufferedInputStream(socket.getInputStream());
                while (!stopped) {
                    long sent = System.nanoTime();
                    out.write(request);
                    out.flush();
                    readResponse(in);
                    if (measuring) {
                        latencies.add(System.nanoTime() - sent);
                    }
                }
            } catch (IOException e) {
                if (!stopped) {
                    failure = e;
                }
            }
        }

        void stop() {
            stopped = true;
        }

        /** Reads one 200 answer with a Content-Length. */
        private static void readResponse(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("the server closed the connection");
                }
                head.append((char) c);
            }
            String text = head.toString();
            if (!text.startsWith("HTTP/1.1 200 ")) {
                throw new IOException("unexpected answer: " + text.lines().findFirst().orElse(""));
            }
            int length = text.lines().filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                    .mapToInt(line -> Integer.parseInt(line.substring(15).strip())).findFirst()
                    .orElseThrow(() -> new IOException("no Content-Length in " + text));
            if (in.readNBytes(length).length != length) {
                throw new EOFException("the body ended early");
            }
        }
    }
}
