package io.turnpike.bench;

import io.turnpike.bench.KeepAliveLoad.Round;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.rpc.Capacity;
import io.turnpike.rpc.FrontSettings;
import io.turnpike.rpc.RpcEntry;
import io.turnpike.rpc.RpcFront;
import io.turnpike.rpc.RpcRoute;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * JSON-RPC requests per second and latency straight to an upstream node, and through a client's {@link RpcEntry} and a
 * provider's {@link RpcFront} — the path a wallet's request takes when it buys capacity — in one run, for
 * {@code eth_blockNumber} and {@code eth_call} at 64 keep-alive connections. Two upstreams: a minimal one that answers
 * at once without reading the request, so the front's own cost is the whole difference, and anvil, a real node. The
 * client is paid and the provider's capacity is wide open, so every request is admitted, priced, charged and metered
 * but none waits: what is measured is the two extra hops and the front's work, not flow control.
 *
 * <pre>./turnpike bench rpc [warmup=1] [measure=4] [rounds=3] [connections=64]</pre>
 *
 * Rounds alternate direct and through the front, so drift from other work hits both; figures are the median round.
 * The last line compares the two on the minimal upstream with {@code eth_blockNumber}:
 * {@code rpc: direct=D/s front=F/s ratio=R added_p50_ms=X}.
 */
public final class RpcBench {

    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\"}";
    /** A call with no code at the address: anvil answers 0x at once, so the call's cost is the RPC path's. */
    private static final String CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[{\"to\":"
            + "\"0x00000000000000000000000000000000000000aa\",\"data\":\"0x70a08231\"},\"latest\"]}";
    private static final byte[] MINIMAL_ANSWER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x2a\"}"
            .getBytes(StandardCharsets.US_ASCII);
    /** Far more than 64 connections ask for: no request waits for capacity. */
    private static final Capacity WIDE_OPEN = new Capacity(1_000_000_000L, 1_000_000_000L, 0, Duration.ofSeconds(1));

    private RpcBench() {
    }

    public static void main(String[] args) throws Exception {
        KeepAliveLoad.Options options = KeepAliveLoad.Options.parse(args);
        Duration warmup = options.warmup();
        Duration measure = options.measure();
        int rounds = options.rounds();
        int connections = options.connections();
        System.out.printf(Locale.ROOT, "JSON-RPC direct vs through entry + front (paid client, capacity wide open), "
                        + "%d keep-alive connections; %d cores, %s %s; %d s warm-up, %d s measured, %d rounds%n",
                connections, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
                System.getProperty("java.version"), warmup.toSeconds(), measure.toSeconds(), rounds);
        System.out.printf(Locale.ROOT, "%-34s %-8s %12s %9s %9s %9s%n", "upstream / method", "path", "requests/s",
                "p50 µs", "p99 µs", "cpu µs");

        Comparison headline;
        try (JsonHttpServer minimal = minimalUpstream()) {
            URI upstream = URI.create("http://127.0.0.1:" + minimal.address().getPort());
            headline = compare("minimal / eth_blockNumber", upstream, BLOCK_NUMBER, connections, warmup, measure,
                    rounds);
            compare("minimal / eth_call", upstream, CALL, connections, warmup, measure, rounds);
        }
        try (Anvil anvil = Anvil.start(31337)) {
            URI upstream = URI.create(anvil.rpcUrl());
            compare("anvil / eth_blockNumber", upstream, BLOCK_NUMBER, connections, warmup, measure, rounds);
            compare("anvil / eth_call", upstream, CALL, connections, warmup, measure, rounds);
        }
        double addedP50 = (headline.front().latencies().percentileMicros(50)
                - headline.direct().latencies().percentileMicros(50)) / 1000;
        System.out.printf(Locale.ROOT, "rpc: direct=%.0f/s front=%.0f/s ratio=%.2f added_p50_ms=%.2f%n",
                headline.direct().perSecond(), headline.front().perSecond(),
                headline.front().perSecond() / headline.direct().perSecond(), addedP50);
    }

    private record Comparison(Round direct, Round front) {
    }

    private static Comparison compare(String name, URI upstream, String call, int connections, Duration warmup,
                                      Duration measure, int rounds) throws Exception {
        Address provider = PrivateKey.random(new SecureRandom()).address();
        Address client = PrivateKey.random(new SecureRandom()).address();
        String token = "bench-session";
        LongAdder charged = new LongAdder();
        List<Round> direct = new ArrayList<>();
        List<Round> through = new ArrayList<>();
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (RpcFront front = RpcFront.start(loopback, FrontSettings.of(List.of(upstream)).withCapacity(WIDE_OPEN),
                (who, presented) -> who.equals(client) && presented.equals(token),
                (who, units, price) -> charged.add(units), System::nanoTime);
             RpcEntry entry = RpcEntry.start(loopback, () -> Optional.of(new RpcRoute(provider,
                     URI.create("http://127.0.0.1:" + front.port()), client, token)), (who, units, price) -> { })) {
            for (int round = 0; round < rounds; round++) {
                direct.add(KeepAliveLoad.run(upstream.getPort(), post(call), connections, warmup, measure));
                through.add(KeepAliveLoad.run(entry.port(), post(call), connections, warmup, measure));
            }
        }
        if (charged.sum() == 0) {
            throw new IllegalStateException(name + ": the front charged nothing, so it served nothing");
        }
        Comparison comparison = new Comparison(KeepAliveLoad.median(direct), KeepAliveLoad.median(through));
        print(name, "direct", comparison.direct());
        print(name, "front", comparison.front());
        return comparison;
    }

    private static void print(String name, String path, Round round) {
        System.out.printf(Locale.ROOT, "%-34s %-8s %,12.0f %9.0f %9.0f %9.1f%n", name, path, round.perSecond(),
                round.latencies().percentileMicros(50), round.latencies().percentileMicros(99), round.cpuMicros());
    }

    private static byte[] post(String body) {
        return ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }

    /** Answers every request at once with one JSON-RPC result, without reading it. */
    private static JsonHttpServer minimalUpstream() throws Exception {
        return JsonHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                new JsonHttpServer.Surface("minimal upstream", HttpLimits.defaults().withConnections(1024, 1024),
                        FatalErrors::exitProcess),
                call -> new HttpReply(200, "application/json", MINIMAL_ANSWER, Map.of()));
    }
}
