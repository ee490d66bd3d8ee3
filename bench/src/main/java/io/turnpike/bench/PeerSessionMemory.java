package io.turnpike.bench;

import io.turnpike.core.Address;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerLimits;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;

/**
 * Heap per idle authenticated peer session at the provider: a {@link PeerServer} in this JVM accepts N
 * connections from N nodes (distinct keys) that a second JVM opens with {@link PeerClient}, so nothing the
 * clients hold is counted. Each connection completes the mutual signed handshake and then stays idle. Live
 * heap is counted by the JVM's class histogram (a full GC, then every live object by class) before the clients
 * connect and once all N are authenticated and past the handshake timeout (until then a timer holds every new
 * connection); the difference divided by N is one session, and the classes that grew most show where it goes.
 * A first round of 50 loads the classes so that they are not counted. {@code -DidleMillis=…} holds the
 * sessions longer before counting (e.g. past a ping, every 30 s).
 *
 * <pre>./turnpike bench PeerSessionMemory [sessions=1000]</pre>
 */
public final class PeerSessionMemory {

    private static final Eip712Domain DOMAIN =
            Eip712Domain.turnpike(31337, Address.of("0x5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"));
    private static final String CLIENTS = "--clients";
    private static final String READY = "ready";
    private static final int CONCURRENT_DIALS = 32;
    private static final long IDLE_MILLIS = Long.getLong("idleMillis", 0);

    private PeerSessionMemory() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(CLIENTS)) {
            runClients(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Address.of(args[3]));
            return;
        }
        int count = args.length > 0 ? Integer.parseInt(args[0].replace("sessions=", "")) : 1000;
        PrivateKey key = PrivateKey.random(new SecureRandom());
        // Every session dials from loopback: the per-address cap is for strangers, not for this measurement.
        PeerConfig config = PeerConfig.of(key, DOMAIN).withLimits(PeerLimits.defaults()
                .withMaxConnections(count + 100).withMaxConnectionsPerAddress(count + 100));
        Sessions sessions = new Sessions();
        try (PeerServer server = PeerServer.start(config, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                sessions)) {
            measure(server, key.address(), sessions, 50, config);
            Measurement m = measure(server, key.address(), sessions, count, config);
            System.out.printf(Locale.ROOT, "%d idle authenticated peer sessions, %d cores, %s %s, %s, max heap %d MiB%n",
                    count, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                    System.getProperty("java.version"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf(Locale.ROOT, "peer session (live heap)  %6.2f KiB/session  (class histograms after a full GC:"
                    + " %,d bytes before, %,d with the sessions)%n", m.liveGrowth() / 1024.0 / count, m.liveBefore(),
                    m.liveAfter());
            // MemoryMXBean's heap used after System.gc() wandered by megabytes between runs; the histogram did not.
            System.out.printf(Locale.ROOT, "heap used after GC        %6.2f KiB/session  (cross-check only: it also counts"
                    + " what other threads allocated around the GC)%n", (m.heapAfter - m.heapBefore) / 1024.0 / count);
            System.out.printf(Locale.ROOT, "where it goes (live bytes per session, largest growth by class):%n%s",
                    m.largestGrowth(count, 30));
            // Resident memory also grows by heap pages the handshakes' garbage touched: an upper bound, not a cost.
            System.out.printf(Locale.ROOT, "resident set growth      %6.1f KiB/session (upper bound: includes heap pages"
                    + " first touched meanwhile)%n", (m.rssAfter - m.rssBefore) / 1024.0 / count);
        }
    }

    private record Measurement(long heapBefore, long heapAfter, long rssBefore, long rssAfter,
                               Map<String, Long> bytesBefore, Map<String, Long> bytesAfter) {

        long liveBefore() {
            return bytesBefore.values().stream().mapToLong(Long::longValue).sum();
        }

        long liveAfter() {
            return bytesAfter.values().stream().mapToLong(Long::longValue).sum();
        }

        long liveGrowth() {
            return liveAfter() - liveBefore();
        }

        /** The classes whose live bytes grew most, per session. */
        String largestGrowth(int count, int classes) {
            StringBuilder out = new StringBuilder();
            bytesAfter.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - bytesBefore.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(classes)
                    .forEach(e -> out.append(String.format(Locale.ROOT, "  %8.0f B  %s%n",
                            (double) e.getValue() / count, e.getKey())));
            return out.toString();
        }
    }

    private static Measurement measure(PeerServer server, Address provider, Sessions sessions, int count,
                                       PeerConfig config) throws Exception {
        long heapBefore = heapAfterGc();
        long rssBefore = residentBytes();
        Map<String, Long> bytesBefore = liveBytesByClass();
        Process clients = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xss256k", "-Xmx512m", "-XX:+UseSerialGC",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", System.getProperty("java.class.path"), PeerSessionMemory.class.getName(),
                CLIENTS, Integer.toString(server.port()), Integer.toString(count), provider.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!(READY + " " + count).equals(line)) {
                throw new IllegalStateException("the client process said '" + line + "', not that it is ready");
            }
            sessions.awaitOpen(count);
            // Every new connection is held by its handshake timer until the timeout passes; idle means after it.
            TimeUnit.MILLISECONDS.sleep(Math.max(config.handshakeTimeout().toMillis() + 1_000, IDLE_MILLIS));
            long heapAfter = heapAfterGc();
            long rssAfter = residentBytes();
            Map<String, Long> bytesAfter = liveBytesByClass();
            if (sessions.open() != count) {
                throw new IllegalStateException(sessions.open() + " sessions open, expected " + count);
            }
            return new Measurement(heapBefore, heapAfter, rssBefore, rssAfter, bytesBefore, bytesAfter);
        } finally {
            clients.getOutputStream().close();
            if (!clients.waitFor(60, TimeUnit.SECONDS)) {
                clients.destroyForcibly();
            }
            sessions.awaitOpen(0);
        }
    }

    /** The client side, in its own JVM: dial {@code count} sessions, say ready, hold them until stdin closes. */
    private static void runClients(int port, int count, Address provider) throws Exception {
        SecureRandom random = new SecureRandom();
        URI uri = URI.create("ws://127.0.0.1:" + port);
        PeerListener idle = (connection, message) -> { };
        List<PeerConnection> open = new ArrayList<>(count);
        List<CompletableFuture<PeerConnection>> dialling = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dialling.add(PeerClient.connect(PeerConfig.of(PrivateKey.random(random), DOMAIN), uri,
                    Optional.of(provider), idle));
            if (dialling.size() == CONCURRENT_DIALS || i == count - 1) {
                for (CompletableFuture<PeerConnection> dial : dialling) {
                    open.add(dial.get(30, TimeUnit.SECONDS));
                }
                dialling.clear();
            }
        }
        System.out.println(READY + " " + open.size());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Hold the sessions until the measuring process closes our stdin.
        }
        open.forEach(PeerConnection::close);
        for (PeerConnection connection : open) {
            connection.closed().get(30, TimeUnit.SECONDS);
        }
    }

    /** The provider's view of its peers: the authenticated connections, by address, as a node keeps them. */
    private static final class Sessions implements PeerListener {

        private final Map<Address, PeerConnection> open = new ConcurrentHashMap<>();

        @Override
        public void onAuthenticated(PeerConnection connection) {
            open.put(connection.remote(), connection);
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public void onMessage(PeerConnection connection, PeerMessage message) {
        }

        @Override
        public void onClosed(PeerConnection connection) {
            open.remove(connection.remote(), connection);
            synchronized (this) {
                notifyAll();
            }
        }

        int open() {
            return open.size();
        }

        synchronized void awaitOpen(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (open.size() != count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(open.size() + " sessions open after 60 s, expected " + count);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            TimeUnit.MILLISECONDS.sleep(100);
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Live bytes per class, from the JVM's class histogram (which runs a full GC first). */
    private static Map<String, Long> liveBytesByClass() throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        Map<String, Long> bytes = new HashMap<>();
        for (String line : histogram.split("\\R")) {
            // "   1:    12345    678901  java.lang.String (java.base@25)"
            String[] columns = line.trim().split("\\s+");
            if (columns.length >= 4 && columns[0].endsWith(":")) {
                bytes.merge(columns[3], Long.parseLong(columns[2]), Long::sum);
            }
        }
        return bytes;
    }

    /** VmRSS from /proc, or 0 where there is none. */
    private static long residentBytes() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        return Files.readAllLines(status).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024)
                .findFirst().orElse(0L);
    }
}
