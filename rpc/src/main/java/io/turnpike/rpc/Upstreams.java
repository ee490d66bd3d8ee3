package io.turnpike.rpc;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The operator's own nodes, reached by plain HTTP: a request's bytes go to the first upstream that is not backing
 * off, and on a transport error, a timeout or a status other than 2xx to the next. What comes back is the upstream's
 * body, byte for byte. An upstream that failed is tried after the others for {@link #BACK_OFF}, so a dead one does
 * not cost every request a connection attempt.
 */
final class Upstreams implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Upstreams.class);
    private static final Duration BACK_OFF = Duration.ofSeconds(5);
    /** Connections to one upstream at once: the front's requests in flight to it, each on a virtual thread. */
    private static final int MAX_CONNECTIONS = 256;
    /** How long a head read for resolving {@code latest} is reused: block times are seconds or more. */
    private static final Duration HEAD_FRESH = Duration.ofSeconds(1);
    private static final byte[] BLOCK_NUMBER = ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"eth_blockNumber\","
            + "\"params\":[]}").getBytes(StandardCharsets.US_ASCII);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What became of one request. */
    sealed interface Outcome {
    }

    /** An upstream answered with a 2xx status; {@code body} is its answer as sent. */
    record Answered(byte[] body) implements Outcome {
    }

    /**
     * No upstream gave a usable answer. {@code worked}: one was made to work on it — it timed out, or answered more
     * than the response limit — so the request is charged its base cost; otherwise none could take it, and it is free.
     */
    record Failed(RpcRefusal refusal, String message, boolean worked) implements Outcome {
    }

    private record Head(long number, long readAtNanos) {
    }

    private final List<Upstream> upstreams = new ArrayList<>();
    private final RpcLimits limits;
    private final LongSupplier ticker;
    private final Outgoing http;
    private volatile Head head;

    Upstreams(List<UpstreamNode> nodes, RpcLimits limits, LongSupplier ticker) {
        for (int i = 0; i < nodes.size(); i++) {
            upstreams.add(new Upstream(i, nodes.get(i)));
        }
        this.limits = limits;
        this.ticker = ticker;
        this.http = new Outgoing("rpc-upstreams", limits.upstreamTimeout(), MAX_CONNECTIONS);
    }

    /** Sends {@code body} to the upstreams in turn until one answers. */
    Outcome send(byte[] body) {
        boolean timedOut = false;
        String lastProblem = "";
        for (Upstream upstream : order()) {
            try {
                Outgoing.Answer answer = http.post(upstream.node.http(), body, Map.of(), List.of(),
                        limits.maxResponseBytes(), limits.upstreamTimeout());
                if (answer.status() / 100 == 2) {
                    return new Answered(answer.body());
                }
                lastProblem = "HTTP " + answer.status();
            } catch (Outgoing.TooLarge e) {
                // Another upstream would send the same answer: this is the request's doing, not the upstream's.
                return new Failed(RpcRefusal.RESPONSE_TOO_LARGE, "the answer is over " + limits.maxResponseBytes()
                        + " bytes; ask for less at once (a shorter block range, fewer calls in a batch)", true);
            } catch (Outgoing.NoAnswer e) {
                // A request sent and not answered may be work for the upstream; a connection never made is not.
                timedOut = true;
                lastProblem = e.getMessage();
            } catch (IOException e) {
                lastProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Failed(RpcRefusal.UPSTREAM_UNAVAILABLE, "the front is stopping; send the request again",
                        false);
            }
            upstream.failedAtNanos = ticker.getAsLong();
            LOG.info("upstream {} failed: {}", upstream, lastProblem);
        }
        return timedOut
                ? new Failed(RpcRefusal.UPSTREAM_TIMEOUT, "the provider's node did not answer in time ("
                + lastProblem + "); try again, or ask for less at once", true)
                : new Failed(RpcRefusal.UPSTREAM_UNAVAILABLE, "the provider's node cannot be reached now ("
                + lastProblem + "); try again shortly", false);
    }

    /**
     * The upstreams' WebSocket addresses, in the order a request would try them now: a subscription is made on the
     * first that takes it, and made again on the next when its connection breaks.
     */
    List<URI> sockets() {
        return order().stream().map(u -> u.node.socket()).toList();
    }

    /** The upstreams not backing off first, each group in the configured order. */
    private List<Upstream> order() {
        long now = ticker.getAsLong();
        return upstreams.stream()
                .sorted(Comparator.comparing((Upstream u) -> u.backingOff(now)).thenComparing(u -> u.index)).toList();
    }

    @Override
    public void close() {
        http.close();
    }

    /** The newest block number, read at most once per {@link #HEAD_FRESH}; empty if no upstream answers. */
    OptionalLong head() {
        long now = ticker.getAsLong();
        Head known = head;
        if (known != null && now - known.readAtNanos() < HEAD_FRESH.toNanos()) {
            return OptionalLong.of(known.number());
        }
        if (!(send(BLOCK_NUMBER) instanceof Answered answered)) {
            return OptionalLong.empty();
        }
        try {
            JsonNode result = JSON.readTree(answered.body()).path("result");
            long number = Pricing.quantity(result).orElseThrow();
            head = new Head(number, now);
            return OptionalLong.of(number);
        } catch (RuntimeException e) {
            LOG.warn("an upstream answered eth_blockNumber with something that is not a block number");
            return OptionalLong.empty();
        }
    }

    private static final class Upstream {
        final int index;
        final UpstreamNode node;
        /** When it last failed; null if it never did. */
        volatile Long failedAtNanos;

        Upstream(int index, UpstreamNode node) {
            this.index = index;
            this.node = node;
        }

        boolean backingOff(long now) {
            Long failedAt = failedAtNanos;
            return failedAt != null && now - failedAt < BACK_OFF.toNanos();
        }

        @Override
        public String toString() {
            return UpstreamNode.printable(node.http());
        }
    }
}
