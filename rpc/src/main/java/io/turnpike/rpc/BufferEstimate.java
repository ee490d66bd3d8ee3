package io.turnpike.rpc;

import io.turnpike.core.accounting.TokenBucket;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * The entry's own estimate of its buffer at the front (LES client-side flow control), kept no higher than the front's
 * figure, so the entry waits before a request would overrun rather than be refused with a {@code 429}. It learns the
 * buffer's size and refill from the front's {@value RpcFront#BUFFER_HEADER}, takes each request's maximum cost (priced
 * with the default {@link CostTable}) before sending it, gives back what it did not cost, and lowers itself to the
 * front's figure whenever that is lower. Until the front has said anything, or for a request the default table cannot
 * price (a method the operator added, a block tag), it has no estimate and the request goes as it is.
 */
final class BufferEstimate {

    private final Pricing pricing = new Pricing(CostTable.defaults(), RpcLimits.defaults());
    private final LongSupplier ticker;
    private TokenBucket bucket;

    BufferEstimate(LongSupplier ticker) {
        this.ticker = ticker;
    }

    /** The most {@code body} can cost under the default table; empty if it cannot tell. */
    OptionalLong maxCost(byte[] body) {
        long total = 0;
        try {
            for (RpcRequest.Element element : RpcRequest.read(body).elements()) {
                if (element instanceof RpcRequest.Call(RpcCall call)) {
                    total = Math.addExact(total, pricing.price(call, OptionalLong::empty).maxCost());
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
