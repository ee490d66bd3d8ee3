package io.turnpike.bench;

import com.sun.net.httpserver.HttpServer;
import io.turnpike.bench.KeepAliveLoad.Round;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * Requests per second and p99 latency of a small JSON endpoint at 64 keep-alive connections, on the HTTP stack
 * the API and the tower ran on ({@code com.sun.net.httpserver}, with a virtual thread per exchange as
 * {@code ApiServer} had), on Jetty 12 (a plain {@link Handler.Abstract}, no servlet container), and on the
 * {@link JsonHttpServer} the API and the tower now run on (Jetty 12 with its limits and a virtual thread per
 * request), in one run.
 * Each endpoint is {@code GET /api/status} with a bearer token, answering the same bytes with the headers the API
 * sends. The load is raw keep-alive sockets, one virtual thread each with one request in flight, in the same JVM:
 * on a small machine client and server share the cores, as they do for a node's local API.
 *
 * <pre>./turnpike bench HttpStack [warmup=1] [measure=4] [rounds=3] [connections=64]</pre>
 *
 * Rounds alternate the stacks, so drift from other work on the machine hits both; the figure is the median
 * round, and {@code cpu} the process's CPU time per request (client and server together).
 */
public final class HttpStackBench {

    private static final String AUTHORIZATION =
            "Bearer 8f4c2b1e9a7d6c5b4a3928171615141312111009080706050403020100ffeedd";
    private static final byte[] STATUS = ("{\"address\":\"0x03b5D811d9185b0B7C615e667f2B894032FFf6FB\",\"chainId\":"
            + "31337,\"contract\":\"0x5FbDB2315678afecb367f032d93F642f64180aa3\",\"headBlock\":1234,\"chainStale\":"
            + "false,\"asset\":{\"symbol\":\"ETH\",\"token\":\"0x0000000000000000000000000000000000000000\","
            + "\"decimals\":18},\"services\":[\"bandwidth\"],\"localSocksPort\":1080,\"relayPort\":null,"
            + "\"peerPort\":8646}").getBytes(StandardCharsets.UTF_8);
    private static final byte[] REQUEST = ("GET /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
            + AUTHORIZATION + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    /** A server under test, listening on loopback. */
    private interface Stack {
        String name();

        Served serve() throws Exception;
    }

    /** A listening server: its port, and how to stop it. */
    private record Served(int port, AutoCloseable stop) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            stop.close();
        }
    }

    private HttpStackBench() {
    }

    public static void main(String[] args) throws Exception {
        KeepAliveLoad.Options options = KeepAliveLoad.Options.parse(args);
        Duration warmup = options.warmup();
        Duration measure = options.measure();
        int rounds = options.rounds();
        int connections = options.connections();
        List<Stack> stacks = List.of(new JdkStack(), new JettyStack(), new BoundedStack(connections));

        System.out.printf(Locale.ROOT, "HTTP stacks, GET /api/status (%d-byte JSON) with a bearer token, %d keep-alive "
                        + "connections; %d cores, %s %s, %s; %d s warm-up, %d s measured, %d rounds%n", STATUS.length,
                connections, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                warmup.toSeconds(), measure.toSeconds(), rounds);
        Map<Stack, List<Round>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Stack stack : stacks) {
                results.computeIfAbsent(stack, s -> new ArrayList<>()).add(run(stack, connections, warmup, measure));
            }
        }
        System.out.printf(Locale.ROOT, "%-48s %12s %9s %9s %9s %s%n", "stack", "requests/s", "p50 µs", "p99 µs",
                "cpu µs", "rounds (requests/s)");
        results.forEach(HttpStackBench::print);
        System.out.printf(Locale.ROOT, "load average at the end: %.2f%n",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static Round run(Stack stack, int connections, Duration warmup, Duration measure) throws Exception {
        try (Served served = stack.serve()) {
            return KeepAliveLoad.run(served.port(), REQUEST, connections, warmup, measure);
        }
    }

    private static void print(Stack stack, List<Round> rounds) {
        Round median = KeepAliveLoad.median(rounds);
        String each = String.join(" / ", rounds.stream()
                .map(round -> String.format(Locale.ROOT, "%,.0f", round.perSecond())).toList());
        System.out.printf(Locale.ROOT, "%-48s %,12.0f %9.0f %9.0f %9.1f %s%n", stack.name(), median.perSecond(),
                median.latencies().percentileMicros(50), median.latencies().percentileMicros(99), median.cpuMicros(),
                each);
    }

    /** The stack ApiServer and TowerApi ran on before: the JDK's server, a virtual thread per exchange. */
    private static final class JdkStack implements Stack {

        @Override
        public String name() {
            return "com.sun.net.httpserver (JDK " + Runtime.version().feature() + ")";
        }

        @Override
        public Served serve() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            server.createContext("/", exchange -> {
                try (exchange) {
                    boolean admitted = AUTHORIZATION.equals(exchange.getRequestHeaders().getFirst("Authorization"))
                            && exchange.getRequestURI().getRawPath().equals("/api/status");
                    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
                    exchange.getResponseHeaders().set("Cache-Control", "no-store");
                    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
                    exchange.sendResponseHeaders(admitted ? 200 : 401, STATUS.length);
                    exchange.getResponseBody().write(STATUS);
                }
            });
            server.setExecutor(executor);
            server.start();
            return new Served(server.getAddress().getPort(), () -> {
                server.stop(0);
                executor.shutdown();
            });
        }
    }

    /** Jetty 12's core server: a plain handler on its default thread pool, no servlet container. */
    private static final class JettyStack implements Stack {

        @Override
        public String name() {
            return "Jetty " + Server.getVersion() + " (Handler.Abstract)";
        }

        @Override
        public Served serve() throws Exception {
            Server server = new Server();
            HttpConfiguration http = new HttpConfiguration();
            http.setSendServerVersion(false);
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
            connector.setPort(0);
            server.addConnector(connector);
            server.setHandler(new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    boolean admitted = AUTHORIZATION.equals(request.getHeaders().get(HttpHeader.AUTHORIZATION))
                            && request.getHttpURI().getPath().equals("/api/status");
                    response.setStatus(admitted ? 200 : 401);
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                    response.getHeaders().put("X-Content-Type-Options", "nosniff");
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, STATUS.length);
                    response.write(true, ByteBuffer.wrap(STATUS), callback);
                    return true;
                }
            });
            server.start();
            return new Served(connector.getLocalPort(), server::stop);
        }
    }

    /** Turnpike's own server: Jetty as above, with every limit checked and the handler on a virtual thread. */
    private record BoundedStack(int connections) implements Stack {

        @Override
        public String name() {
            return "JsonHttpServer (Jetty, limits, virtual threads)";
        }

        @Override
        public Served serve() throws IOException {
            // The default limits, but room for every connection of the run: they all come from loopback.
            HttpLimits limits = HttpLimits.defaults().withConnections(connections, connections);
            JsonHttpServer server = JsonHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new JsonHttpServer.Surface("bench API", limits, FatalErrors::exitProcess), call -> {
                        boolean admitted = AUTHORIZATION.equals(call.header("Authorization"))
                                && call.path().equals("/api/status");
                        return new HttpReply(admitted ? 200 : 401, HttpReply.JSON, STATUS, Map.of());
                    });
            return new Served(server.address().getPort(), server);
        }
    }
}
