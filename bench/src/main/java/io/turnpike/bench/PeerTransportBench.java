package io.turnpike.bench;

import com.sun.management.OperatingSystemMXBean;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerCodec;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.handshake.ServerHandshake;
import org.java_websocket.server.WebSocketServer;

/**
 * Peer-message round trips per second over loopback WebSocket, the peer transport against the one it
 * replaced, in one run: {@link PeerServer} and {@link PeerClient} on Jetty (with the real signed handshake
 * before the clock starts), and a minimal echo pair on Java-WebSocket 1.5.6, which web3j still brings to this
 * module's class path. Both ends decode and encode every frame with {@link PeerCodec}, as the peer protocol
 * does, so the rows differ only in the socket library. The client sends a signed {@code pay} (signed once,
 * beforehand); the server answers each with the same message; a round trip counts when its answer is decoded.
 *
 * <pre>./turnpike bench PeerTransport [warmup=2] [measure=3] [rounds=2] [only=jetty|java-websocket]</pre>
 *
 * Scenarios: one connection with one message in flight (latency-bound), one connection with 32 in flight
 * (pipelined), and 16 connections with one each. Rounds alternate the transports, so drift from other work
 * on the machine hits both; the figure is the median round, and {@code cpu} is the process's CPU time per
 * round trip (client and server together, both in this JVM).
 */
public final class PeerTransportBench {

    private static final Eip712Domain DOMAIN =
            Eip712Domain.turnpike(31337, Address.of("0x5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e"));
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private record Scenario(String name, int connections, int window) {
    }

    private record Round(double perSecond, double cpuMicros, LatencySamples.Sorted latencies) {
    }

    private PeerTransportBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Duration warmup = Duration.ofSeconds(Long.parseLong(options.getOrDefault("warmup", "2")));
        Duration measure = Duration.ofSeconds(Long.parseLong(options.getOrDefault("measure", "3")));
        int rounds = Integer.parseInt(options.getOrDefault("rounds", "2"));
        List<Scenario> scenarios = List.of(new Scenario("1 conn, 1 in flight", 1, 1),
                new Scenario("1 conn, 32 in flight", 1, 32), new Scenario("16 conns, 1 in flight each", 16, 1));
        List<Transport> transports = Stream.of(new JettyTransport(), new JavaWebSocketTransport())
                .filter(transport -> transport.name().toLowerCase(Locale.ROOT).replace(' ', '-')
                        .startsWith(options.getOrDefault("only", "")))
                .toList();
        Pay pay = new Pay(Signed.sign(new BalanceProof(1, 1, Amount.of(1_000_000)), DOMAIN,
                PrivateKey.random(new SecureRandom())));

        System.out.printf(Locale.ROOT, "peer transport round trips, %d cores, %s %s, %s; %d s warm-up, %d s measured,"
                        + " %d rounds; message %d bytes%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"),
                ManagementFactory.getRuntimeMXBean().getInputArguments(), warmup.toSeconds(), measure.toSeconds(),
                rounds, PeerCodec.encode(pay).length());
        System.out.printf(Locale.ROOT, "%-28s %-34s %12s %9s %9s %9s %s%n", "scenario", "transport", "trips/s",
                "p50 µs", "p99 µs", "cpu µs", "rounds (trips/s)");
        for (Scenario scenario : scenarios) {
            Map<Transport, List<Round>> results = new LinkedHashMap<>();
            for (int round = 0; round < rounds; round++) {
                for (Transport transport : transports) {
                    results.computeIfAbsent(transport, t -> new ArrayList<>())
                            .add(run(transport, scenario, pay, warmup, measure));
                }
            }
            results.forEach((transport, runs) -> print(scenario, transport, runs));
        }
        System.out.printf(Locale.ROOT, "load average at the end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Round run(Transport transport, Scenario scenario, PeerMessage message, Duration warmup,
                             Duration measure) throws Exception {
        try (Transport.Server server = transport.serve()) {
            List<Flow> flows = new ArrayList<>();
            List<AutoCloseable> links = new ArrayList<>();
            try {
                for (int i = 0; i < scenario.connections(); i++) {
                    Flow flow = new Flow(message, scenario.window());
                    links.add(server.connect(flow));
                    flows.add(flow);
                }
                flows.forEach(Flow::start);
                TimeUnit.MILLISECONDS.sleep(warmup.toMillis());
                OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                long cpuBefore = os.getProcessCpuTime();
                long started = System.nanoTime();
                flows.forEach(Flow::measure);
                TimeUnit.MILLISECONDS.sleep(measure.toMillis());
                flows.forEach(Flow::stop);
                long elapsed = System.nanoTime() - started;
                long cpu = os.getProcessCpuTime() - cpuBefore;
                long trips = flows.stream().mapToLong(Flow::measured).sum();
                for (Flow flow : flows) {
                    flow.awaitDrained();
                }
                return new Round(trips * 1e9 / elapsed, cpu / 1e3 / trips,
                        LatencySamples.merge(flows.stream().map(flow -> flow.latencies).toList()));
            } finally {
                for (AutoCloseable link : links) {
                    link.close();
                }
            }
        }
    }

    private static void print(Scenario scenario, Transport transport, List<Round> rounds) {
        Round median = rounds.stream().sorted((a, b) -> Double.compare(a.perSecond(), b.perSecond()))
                .toList().get(rounds.size() / 2);
        String each = String.join(" / ", rounds.stream()
                .map(round -> String.format(Locale.ROOT, "%,.0f", round.perSecond())).toList());
        System.out.printf(Locale.ROOT, "%-28s %-34s %,12.0f %9.0f %9.0f %9.1f %s%n", scenario.name(),
                transport.name(), median.perSecond(), median.latencies().percentileMicros(50),
                median.latencies().percentileMicros(99), median.cpuMicros(), each);
    }

    /**
     * One connection's traffic: {@code window} messages outstanding, the next sent as each answer arrives.
     * Answers on one connection arrive one at a time, in order, so the send times form a queue.
     */
    private static final class Flow implements Consumer<PeerMessage> {

        private final PeerMessage message;
        private final int window;
        private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
        private final LatencySamples latencies = new LatencySamples();
        private final LongAdder answered = new LongAdder();
        private Consumer<PeerMessage> link;
        private volatile boolean measuring;
        private volatile boolean stopped;

        Flow(PeerMessage message, int window) {
            this.message = message;
            this.window = window;
        }

        void attach(Consumer<PeerMessage> sender) {
            this.link = sender;
        }

        void start() {
            for (int i = 0; i < window; i++) {
                send();
            }
        }

        void measure() {
            measuring = true;
        }

        void stop() {
            stopped = true;
        }

        /** Waits, a bounded time, for the answers still in flight, so that closing drops none mid-write. */
        void awaitDrained() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                synchronized (sentAt) {
                    if (sentAt.isEmpty()) {
                        return;
                    }
                }
                TimeUnit.MILLISECONDS.sleep(1);
            }
        }

        long measured() {
            return answered.sum();
        }

        @Override
        public void accept(PeerMessage answer) {
            long sent;
            synchronized (sentAt) {
                sent = sentAt.removeFirst();
            }
            if (measuring && !stopped) {
                latencies.add(System.nanoTime() - sent);
                answered.increment();
            }
            if (!stopped) {
                send();
            }
        }

        private void send() {
            synchronized (sentAt) {
                sentAt.addLast(System.nanoTime());
            }
            link.accept(message);
        }
    }

    /** A WebSocket stack under test: a server that answers every message with itself, and clients for it. */
    private interface Transport {

        String name();

        Server serve() throws Exception;

        interface Server extends AutoCloseable {

            /** A connection whose answers go to {@code flow}; open once this returns. */
            AutoCloseable connect(Flow flow) throws Exception;
        }
    }

    /** The product's transport: Jetty 12 under {@link PeerServer} and {@link PeerClient}, handshake included. */
    private static final class JettyTransport implements Transport {

        private final SecureRandom random = new SecureRandom();

        @Override
        public String name() {
            return "Jetty 12.1 (PeerServer/PeerClient)";
        }

        @Override
        public Server serve() {
            PrivateKey key = PrivateKey.random(random);
            PeerServer server = PeerServer.start(PeerConfig.of(key, DOMAIN), LOOPBACK, PeerConnection::send);
            URI uri = URI.create("ws://127.0.0.1:" + server.port());
            return new Server() {
                @Override
                public AutoCloseable connect(Flow flow) throws Exception {
                    PeerListener answers = (connection, message) -> flow.accept(message);
                    PeerConnection connection = PeerClient.connect(PeerConfig.of(PrivateKey.random(random), DOMAIN),
                            uri, Optional.of(key.address()), answers).get(30, TimeUnit.SECONDS);
                    flow.attach(connection::send);
                    return connection::close;
                }

                @Override
                public void close() {
                    server.close();
                }
            };
        }
    }

    /** The transport it replaced, reduced to an echo: Java-WebSocket 1.5.6, server and client. */
    private static final class JavaWebSocketTransport implements Transport {

        @Override
        public String name() {
            return "Java-WebSocket 1.5.6 (echo pair)";
        }

        @Override
        public Server serve() throws Exception {
            EchoServer server = new EchoServer();
            server.start();
            int port = server.started.get(30, TimeUnit.SECONDS);
            URI uri = URI.create("ws://127.0.0.1:" + port);
            return new Server() {
                @Override
                public AutoCloseable connect(Flow flow) throws Exception {
                    EchoClient client = new EchoClient(uri, flow);
                    if (!client.connectBlocking(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("could not connect to " + uri);
                    }
                    flow.attach(message -> client.send(PeerCodec.encode(message)));
                    return client::closeBlocking;
                }

                @Override
                public void close() throws InterruptedException {
                    server.stop(2_000);
                }
            };
        }

        private static final class EchoServer extends WebSocketServer {

            final CompletableFuture<Integer> started = new CompletableFuture<>();

            EchoServer() {
                super(LOOPBACK);
                setReuseAddr(true);
                setDaemon(true);
            }

            @Override
            public void onStart() {
                started.complete(getPort());
            }

            @Override
            public void onOpen(WebSocket socket, ClientHandshake handshake) {
            }

            @Override
            public void onMessage(WebSocket socket, String frame) {
                socket.send(PeerCodec.encode(PeerCodec.decode(frame)));
            }

            @Override
            public void onMessage(WebSocket socket, ByteBuffer frame) {
                socket.close();
            }

            @Override
            public void onClose(WebSocket socket, int code, String reason, boolean remote) {
            }

            @Override
            public void onError(WebSocket socket, Exception error) {
                if (socket == null) {
                    started.completeExceptionally(error);
                } else {
                    System.err.println("the echo server failed on " + socket.getRemoteSocketAddress() + ": " + error);
                }
            }
        }

        private static final class EchoClient extends WebSocketClient {

            private final Flow flow;

            EchoClient(URI uri, Flow flow) {
                super(uri);
                this.flow = flow;
                setDaemon(true);
            }

            @Override
            public void onOpen(ServerHandshake handshake) {
            }

            @Override
            public void onMessage(String frame) {
                flow.accept(PeerCodec.decode(frame));
            }

            @Override
            public void onClose(int code, String reason, boolean remote) {
            }

            @Override
            public void onError(Exception error) {
                System.err.println("the echo client to " + getURI() + " failed: " + error);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        Arrays.stream(args).map(arg -> arg.split("=", 2)).forEach(kv -> options.put(kv[0], kv[1]));
        return options;
    }
}
