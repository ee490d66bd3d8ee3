package io.turnpike.rpc;

import io.turnpike.core.accounting.TokenBucket;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The entry's own estimate of its buffer at the front (LES client-side flow control), kept no higher than the front's
 * figure, so the entry waits before a request would overrun rather than be refused with a {@code 429}. It learns the
 * buffer's size and refill from the front's {@value RpcFront#BUFFER_HEADER}, takes each request's maximum cost (priced
 * with the cost table the provider announced in its offer) before sending it — over HTTP and WebSocket alike,
 * through {@link #awaitRoom} — gives back what it did not cost, and lowers itself to the front's figure whenever that
 * is lower. Until the front has said anything, or for a request the table cannot price (a method it does not list, a
 * block tag), it has no estimate and the request goes as it is.
 */
final class BufferEstimate {

    /** How the entry waits for its estimate to refill; {@link Thread#sleep} but in tests. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final LongSupplier ticker;
    private final Pause pause;
    private final Duration maxWait;
    /** The last table priced by, and its pricing: a provider's table changes only with a new offer. */
    private volatile Pricing pricing = new Pricing(CostTable.defaults(), RpcLimits.defaults());
    private TokenBucket bucket;

    /** @param maxWait the longest wait made: past it the request goes, and the front says when to come back */
    BufferEstimate(LongSupplier ticker, Pause pause, Duration maxWait) {
        this.ticker = ticker;
        this.pause = pause;
        this.maxWait = maxWait;
    }

    /**
     * What a request reserved of the estimate, to {@link #settle} once the front says what it charged, and whether the
     * front answers it at all: a request of JSON-RPC notifications only (calls without an id) gets no answer.
     */
    record Reservation(long units, boolean answered) {
    }

    /**
     * Waits until the estimate holds the most {@code body} can cost under {@code costs}, and takes it. Nothing is
     * reserved if the estimate cannot tell (the front then decides) or the wait would be longer than the most the entry
     * waits.
     */
    Reservation awaitRoom(byte[] body, CostTable costs) throws InterruptedException {
        RpcRequest request;
        try {
            request = RpcRequest.read(body);
        } catch (RpcRefused unreadable) {
            return new Reservation(0, true); // the front refuses it too, with an answer
        }
        boolean answered = request.elements().stream()
                .anyMatch(element -> !(element instanceof RpcRequest.Call(RpcCall call)) || !call.isNotification());
        OptionalLong maxCost = maxCost(request, costs);
        if (maxCost.isEmpty()) {
            return new Reservation(0, answered);
        }
        long wait;
        while ((wait = reserve(maxCost.getAsLong())) > 0) {
            if (wait > maxWait.toNanos()) {
                return new Reservation(0, answered);
            }
            pause.sleep(Duration.ofNanos(wait));
        }
        return new Reservation(maxCost.getAsLong(), answered);
    }

    /** The most {@code request} can cost under {@code costs}; empty if it cannot tell. */
    private OptionalLong maxCost(RpcRequest request, CostTable costs) {
        Pricing current = pricing;
        if (!current.costs().equals(costs)) {
            current = new Pricing(costs, RpcLimits.defaults());
            pricing = current;
        }
        long total = 0;
        try {
            for (RpcRequest.Element element : request.elements()) {
                if (element instanceof RpcRequest.Call(RpcCall call)) {
                    total = Math.addExact(total, current.price(call, OptionalLong::empty).maxCost());
                }
            }
        } catch (RpcRefused | ArithmeticException cannotTell) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(total);
    }

    /**
     * Takes {@code cost} if the estimate holds it now and answers 0; otherwise answers the nanoseconds until it will,
     * taking nothing. With no estimate, or a cost the buffer can never hold, it answers 0 and the front decides.
     */
    synchronized long reserve(long cost) {
        long now = ticker.getAsLong();
        if (bucket == null || cost > bucket.capacity()) {
            return 0;
        }
        long wait = bucket.nanosUntil(cost, now);
        if (wait > 0) {
            return wait;
        }
        bucket.take(cost, now);
        return 0;
    }

    /** A request {@link #reserve reserved} {@code reserved} and was charged {@code charged}: the rest goes back. */
    synchronized void settle(long reserved, long charged) {
        if (bucket != null && reserved > 0) {
            bucket.giveBack(reserved - Math.min(reserved, charged), ticker.getAsLong());
        }
    }

    /**
     * The front's figure ({@code units/limit/rate}): a new size or refill starts the estimate over at it; otherwise the
     * estimate comes down to it if it is lower. A figure that cannot be read changes nothing.
     */
    synchronized void reported(String header) {
        String[] parts = header.split("/", -1);
        if (parts.length != 3) {
            return;
        }
        long units;
        long limit;
        long rate;
        try {
            units = Long.parseLong(parts[0].strip());
            limit = Long.parseLong(parts[1].strip());
            rate = Long.parseLong(parts[2].strip());
        } catch (NumberFormatException unreadable) {
            return;
        }
        if (units < 0 || limit < 1 || limit > TokenBucket.MAX_CAPACITY || units > limit || rate < 0) {
            return;
        }
        long now = ticker.getAsLong();
        if (bucket == null || bucket.capacity() != limit || bucket.ratePerSecond() != rate) {
            bucket = new TokenBucket(rate, limit, now);
        }
        long above = bucket.available(now) - units;
        if (above > 0) {
            bucket.take(above, now);
        }
    }
}
