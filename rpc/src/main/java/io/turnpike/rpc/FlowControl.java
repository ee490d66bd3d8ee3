package io.turnpike.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.accounting.TokenBucket;
import io.turnpike.core.service.Standing;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Each client's buffer of cost units (LES flow control): a request is admitted only if the buffer holds its maximum
 * cost, which is taken at once; once served, what it did not cost is given back. A buffer refills at the client's
 * capacity up to {@link Capacity#buffer()} of it.
 *
 * <p>Capacity and priority (LES vflux): the total holds {@code total ÷ paid} paid seats. A paid client takes a seat
 * when it asks. When none is free, its priority — how long its prepaid balance keeps paying for a seat
 * ({@link #prepaid}), less {@link #INCUMBENT_BIAS} — is weighed against the lowest seated client's, so nobody flaps:
 * the higher keeps or takes the seat, the other is pushed down to the free tier until a seat frees. Free clients are
 * served only from the spare — what the seated clients leave of the total — in equal shares: each active free
 * client's buffer refills at the spare divided among them, {@link Capacity#free()} at most, so one that asks more
 * often gets no more than one that asks less. Every free admission also draws on a shared buffer refilling at the spare, so free
 * clients, however many and however full their own buffers, never take what paid ones were promised. A seat, or a
 * free client's share, is held from a request until the buffer has had time to refill; then it frees.
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

    /**
     * How much longer than a seated client's balance lasts a newcomer's must last to take its seat: the newcomer is
     * weighed as it will be after this much use of the seat, so two clients of about the same balance do not trade
     * places at each request.
     */
    static final Duration INCUMBENT_BIAS = Duration.ofMinutes(1);

    private final Capacity capacity;
    private final LongSupplier ticker;
    private final Map<Address, ClientBuffer> clients = new HashMap<>();
    /** Seated paid clients by their last request, oldest first. */
    private final LinkedHashMap<Address, Long> activePaid = new LinkedHashMap<>(16, 0.75f, true);
    /** Clients served from the spare by their last request, oldest first: those sharing it now. */
    private final LinkedHashMap<Address, Long> activeFree = new LinkedHashMap<>(16, 0.75f, true);
    /** How long each paid client's prepaid balance pays for a seat; none told is none. */
    private final Map<Address, Duration> prepaid = new HashMap<>();
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
            if (activeFree.remove(client) != null) {
                shareSpare(now); // one fewer to share it
            }
        }
    }

    synchronized Standing standing(Address client) {
        ClientBuffer buffer = clients.get(client);
        return buffer == null ? Standing.PAID : buffer.standing;
    }

    /** The client is gone: its buffer, seat and priority are dropped; if it returns it starts afresh. */
    synchronized void forget(Address client) {
        clients.remove(client);
        activePaid.remove(client);
        prepaid.remove(client);
        if (activeFree.remove(client) != null) {
            shareSpare(ticker.getAsLong());
        }
    }

    /** How long the client's prepaid balance pays for a seat at the paid capacity: its priority. */
    synchronized void prepaid(Address client, Duration covered) {
        prepaid.put(client, covered);
    }

    /**
     * The capacity, in units per second, that each prepaid balance (as the time it pays for a seat) would get if its
     * client asked now: a seat's if one is free or it outweighs the lowest seated client, else the free capacity.
     */
    synchronized List<Long> quote(List<Duration> covered) {
        retireIdle(ticker.getAsLong());
        return covered.stream().map(c -> wouldBeSeated(c) ? capacity.paid() : capacity.free()).toList();
    }

    synchronized Admission admit(Address client, long maxCost) {
        long now = ticker.getAsLong();
        retireIdle(now);
        ClientBuffer buffer = buffer(client, now);
        if (buffer.standing == Standing.PAID) {
            buffer = seat(client, buffer, now);
        }
        boolean free = !buffer.paidSized;
        if (free && activeFree.put(client, now) == null) {
            shareSpare(now); // one more to share it
        }
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

    /** A client's buffer as it stands: the units in it now, the most it holds, and its refill in units per second. */
    record BufferState(long units, long limit, long ratePerSecond) {

        /** As the front tells it to the client's entry: {@code units/limit/rate}. */
        String header() {
            return units + "/" + limit + "/" + ratePerSecond;
        }
    }

    /** The client's buffer now, which its entry keeps its own estimate of. */
    synchronized BufferState buffer(Address client) {
        long now = ticker.getAsLong();
        return buffer(client, now).state(now);
    }

    /** Every client the front has served, with the buffer it is served from now and whether that is a paid one. */
    synchronized Map<Address, ClientState> clients() {
        long now = ticker.getAsLong();
        retireIdle(now);
        Map<Address, ClientState> states = new TreeMap<>(Comparator.comparing(Address::toString));
        clients.forEach((client, buffer) -> states.put(client, new ClientState(buffer.paidSized, buffer.state(now))));
        return states;
    }

    /** A client's tier as served now (paid: its own capacity; free: from the spare) and its buffer. */
    record ClientState(boolean paid, BufferState buffer) {
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

    /**
     * A paid client asking: it keeps its seat, takes a free one, or takes the lowest seated client's if it outweighs
     * it (that client is pushed down); otherwise it is served at the free tier for now. Answers the buffer it is served
     * from: its own, or a free-sized one while it waits for a seat.
     */
    private ClientBuffer seat(Address client, ClientBuffer buffer, long now) {
        if (activePaid.containsKey(client)) {
            activePaid.put(client, now);
            return buffer.paidSized ? buffer : replace(client, buffer, true, now);
        }
        if (!wouldBeSeated(covered(client))) {
            return buffer.paidSized ? replace(client, buffer, false, now) : buffer;
        }
        if (activePaid.size() >= seats()) {
            Address lowest = lowestSeated();
            activePaid.remove(lowest);
            replace(lowest, clients.get(lowest), false, now);
        }
        activePaid.put(client, now);
        activeFree.remove(client);
        retireIdle(now);
        shareSpare(now);
        return buffer.paidSized ? buffer : replace(client, buffer, true, now);
    }

    private boolean wouldBeSeated(Duration covered) {
        if (activePaid.size() < seats()) {
            return true;
        }
        return covered.minus(INCUMBENT_BIAS).compareTo(covered(lowestSeated())) > 0;
    }

    private Address lowestSeated() {
        return activePaid.keySet().stream().min(Comparator.comparing(this::covered)).orElseThrow();
    }

    private Duration covered(Address client) {
        return prepaid.getOrDefault(client, Duration.ZERO);
    }

    private long seats() {
        return capacity.total() / capacity.paid();
    }

    /** A paid client's buffer at the other size, full: seated (the paid capacity) or waiting (the free one). */
    private ClientBuffer replace(Address client, ClientBuffer old, boolean seated, long now) {
        ClientBuffer next = new ClientBuffer(old.standing, seated, now);
        clients.put(client, next);
        return next;
    }

    /**
     * Clients idle for a buffer's time no longer hold their capacity: a paid one its seat, a free one its share of the
     * spare. The spare refills at what the seats leave, shared among the free clients still asking.
     */
    private void retireIdle(long now) {
        boolean retired = retire(activePaid, now) | retire(activeFree, now);
        long rate = capacity.total() - capacity.paid() * activePaid.size();
        if (rate != spare.ratePerSecond() || retired) {
            spare.setRate(rate, now);
            shareSpare(now);
        }
    }

    /** Drops those of {@code active} (oldest first) idle for a buffer's time; whether there were any. */
    private boolean retire(LinkedHashMap<Address, Long> active, long now) {
        boolean any = false;
        Iterator<Long> oldestFirst = active.values().iterator();
        while (oldestFirst.hasNext() && now - oldestFirst.next() >= capacity.buffer().toNanos()) {
            oldestFirst.remove();
            any = true;
        }
        return any;
    }

    /**
     * Each free client asking now refills at an equal share of the spare, the free capacity at most, a unit at least;
     * one that stopped asking gets its share again when it next asks. With no spare refill at all (the seats hold the
     * whole capacity) free clients live on what the shared buffer still holds, and that alone bounds them.
     */
    private void shareSpare(long now) {
        long spareRate = spare.ratePerSecond();
        long share = spareRate == 0 ? capacity.free()
                : Math.min(capacity.free(), Math.max(1, spareRate / Math.max(1, activeFree.size())));
        for (Address client : activeFree.keySet()) {
            TokenBucket bucket = clients.get(client).bucket;
            if (bucket.ratePerSecond() != share) {
                bucket.setRate(share, now);
            }
        }
    }

    /** One client's buffer, sized by its standing and, for a paid client, whether it has a seat. */
    private final class ClientBuffer {
        final Standing standing;
        final boolean paidSized;
        final long limit;
        final TokenBucket bucket;

        ClientBuffer(Standing standing, long now) {
            this(standing, standing == Standing.PAID, now);
        }

        ClientBuffer(Standing standing, boolean paidSized, long now) {
            long rate = paidSized ? capacity.paid() : capacity.free();
            this.standing = standing;
            this.paidSized = paidSized;
            this.limit = capacity.bufferFor(rate);
            this.bucket = new TokenBucket(rate, limit, now);
        }

        BufferState state(long now) {
            return new BufferState(bucket.available(now), limit, bucket.ratePerSecond());
        }
    }
}
