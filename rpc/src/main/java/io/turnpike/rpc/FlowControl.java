package io.turnpike.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.accounting.TokenBucket;
import io.turnpike.core.service.Standing;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Each client's buffer of cost units (LES flow control): a request is admitted only if the buffer holds its maximum
 * cost, which is taken at once; once served, what it did not cost is given back. A buffer refills at the client's
 * capacity up to {@link Capacity#buffer()} of it. A paid client's capacity is its own. A free client's is
 * {@link Capacity#free()} at most, and only from the spare: a shared buffer refilling at what the paid clients active
 * now leave of the total, which every free admission draws on too — so free clients, however many, never take what
 * paid ones were promised. A paid client is active from a request until its buffer has had time to refill.
 *
 * <p>All of it is arithmetic under this object's lock, on an injected clock ({@code ticker}, nanoseconds).
 */
final class FlowControl {

    /** What {@link #admit} decided. */
    sealed interface Admission {
    }

    /** Admitted: {@code maxCost} was taken (from the spare too if {@code fromSpare}); {@link #settle} gives back. */
    record Admitted(Address client, long maxCost, boolean fromSpare) implements Admission {
    }

    /** Not now: the buffer will hold the cost after {@code retryAfterNanos}. */
    record Wait(long retryAfterNanos) implements Admission {
    }

    /** Never: the cost is more than the client's buffer holds when full. */
    record TooCostly(long bufferLimit) implements Admission {
    }

    private final Capacity capacity;
    private final LongSupplier ticker;
    private final Map<Address, ClientBuffer> clients = new HashMap<>();
    /** Paid clients by their last request, oldest first. */
    private final LinkedHashMap<Address, Long> activePaid = new LinkedHashMap<>(16, 0.75f, true);
    private final TokenBucket spare;

    FlowControl(Capacity capacity, LongSupplier ticker) {
        this.capacity = capacity;
        this.ticker = ticker;
        this.spare = new TokenBucket(capacity.total(), capacity.bufferFor(capacity.total()), ticker.getAsLong());
    }

    /** The client's standing changed: its buffer is the new standing's, full. */
    synchronized void standing(Address client, Standing standing) {
        long now = ticker.getAsLong();
        ClientBuffer buffer = buffer(client, now);
        if (buffer.standing != standing) {
            clients.put(client, new ClientBuffer(standing, now));
            if (standing != Standing.PAID) {
                activePaid.remove(client);
            }
        }
    }

    synchronized Standing standing(Address client) {
        ClientBuffer buffer = clients.get(client);
        return buffer == null ? Standing.PAID : buffer.standing;
    }

    synchronized Admission admit(Address client, long maxCost) {
        long now = ticker.getAsLong();
        ClientBuffer buffer = buffer(client, now);
        boolean free = buffer.standing != Standing.PAID;
        if (!free) {
            activePaid.put(client, now);
        }
        retireIdlePaid(now);
        // A free buffer is never larger than the spare's, so what fits the one fits the other once it has refilled.
        if (maxCost > buffer.limit) {
            return new TooCostly(buffer.limit);
        }
        long wait = buffer.bucket.nanosUntil(maxCost, now);
        if (free) {
            long spareWait = spare.nanosUntil(maxCost, now);
            wait = wait < 0 || spareWait < 0 ? -1 : Math.max(wait, spareWait);
        }
        if (wait != 0) {
            // With no refill at all (the paid clients hold the whole capacity), a buffer's time is the soonest change.
            return new Wait(wait > 0 ? wait : capacity.buffer().toNanos());
        }
        buffer.bucket.take(maxCost, now);
        if (free) {
            spare.take(maxCost, now);
        }
        return new Admitted(client, maxCost, free);
    }

    /** The admitted request cost {@code realCost}: the rest of its maximum goes back where it was taken from. */
    synchronized void settle(Admitted admitted, long realCost) {
        long unused = admitted.maxCost() - Math.min(realCost, admitted.maxCost());
        long now = ticker.getAsLong();
        buffer(admitted.client(), now).bucket.giveBack(unused, now);
        if (admitted.fromSpare()) {
            spare.giveBack(unused, now);
        }
    }

    private ClientBuffer buffer(Address client, long now) {
        return clients.computeIfAbsent(client, c -> new ClientBuffer(Standing.PAID, now));
    }

    /** Paid clients idle for a buffer's time no longer hold their capacity; the spare refills at what is left. */
    private void retireIdlePaid(long now) {
        Iterator<Long> oldestFirst = activePaid.values().iterator();
        while (oldestFirst.hasNext() && now - oldestFirst.next() >= capacity.buffer().toNanos()) {
            oldestFirst.remove();
        }
        long rate = activePaid.size() > capacity.total() / capacity.paid() ? 0
                : capacity.total() - capacity.paid() * activePaid.size();
        if (rate != spare.ratePerSecond()) {
            spare.setRate(rate, now);
        }
    }

    /** One client's buffer, sized by its standing. */
    private final class ClientBuffer {
        final Standing standing;
        final long limit;
        final TokenBucket bucket;

        ClientBuffer(Standing standing, long now) {
            long rate = standing == Standing.PAID ? capacity.paid() : capacity.free();
            this.standing = standing;
            this.limit = capacity.bufferFor(rate);
            this.bucket = new TokenBucket(rate, limit, now);
        }
    }
}
