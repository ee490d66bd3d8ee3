package io.turnpike.node.market;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * How far a provider is from here: how long a TCP connection to its peer endpoint takes to open, the round trip a
 * client would add. {@code turnpike providers} prints it; the node ranks providers by it.
 */
public final class LatencyProbe {

    /** The longest a probe waits: a provider that does not answer within it is out of reach. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Executor PROBES = Executors.newVirtualThreadPerTaskExecutor();

    private LatencyProbe() {
    }

    /**
     * What one probe measured.
     *
     * @param latency how long the connection took to open (empty when it could not be opened)
     * @param description for people: the figure and what was measured, or why there is none
     */
    public record Result(Optional<Duration> latency, String description) {

        public OptionalLong millis() {
            return latency.map(d -> OptionalLong.of(d.toMillis())).orElse(OptionalLong.empty());
        }
    }

    /** Probes every endpoint at once, each for at most {@link #TIMEOUT}: one out of reach holds up none of the rest. */
    public static List<Result> probeAll(List<String> endpoints) {
        List<CompletableFuture<Result>> probes = endpoints.stream()
                .map(endpoint -> CompletableFuture.supplyAsync(() -> probe(endpoint), PROBES)
                        .completeOnTimeout(unreachable("no answer within " + TIMEOUT.toSeconds() + " s"),
                                TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
                .toList();
        return probes.stream().map(CompletableFuture::join).toList();
    }

    /** Opens and closes one TCP connection to {@code endpoint} (a ws:// or wss:// URL), waiting {@link #TIMEOUT}. */
    public static Result probe(String endpoint) {
        try {
            URI uri = URI.create(endpoint);
            int port = uri.getPort() != -1 ? uri.getPort()
                    : "wss".equals(uri.getScheme()) || "https".equals(uri.getScheme()) ? 443 : 80;
            if (uri.getHost() == null) {
                return unreachable(endpoint + " names no host");
            }
            InetSocketAddress address = new InetSocketAddress(uri.getHost(), port);
            if (address.isUnresolved()) {
                return unreachable(uri.getHost() + " does not resolve");
            }
            long started = System.nanoTime();
            try (Socket socket = new Socket()) {
                socket.connect(address, (int) TIMEOUT.toMillis());
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            long micros = took.toNanos() / 1_000;
            return new Result(Optional.of(took), micros / 1000 + "." + String.format("%03d", micros % 1000)
                    .substring(0, 1) + " ms (TCP connect to " + uri.getHost() + ":" + port + ")");
        } catch (IOException | IllegalArgumentException e) {
            return unreachable(e.getMessage());
        }
    }

    private static Result unreachable(String why) {
        return new Result(Optional.empty(), "unreachable (" + why + ")");
    }
}
