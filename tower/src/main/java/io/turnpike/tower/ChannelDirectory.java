package io.turnpike.tower;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ChannelsContract.ChannelInfo;
import io.turnpike.chain.ChannelsContract.Status;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What the chain says about a channel, read once and kept until one of the channel's events may have changed
 * it: uploads then cost no RPC after a channel's first. Channel ids are the contract's counter, so an id above
 * the count read last does not exist: a flood of uploads for made-up ids costs one {@code channelCount} call per
 * new block or {@link #COUNT_REREAD}, whichever comes first, not one call each. Work on one channel (an upload, an event) runs under that channel's
 * lock, so an upload cannot store a proof for a channel whose settlement is being handled; reads from the chain
 * happen before that lock is taken, and facts read while an event made them stale are not kept.
 */
final class ChannelDirectory {

    /** The channel as the contract holds it; {@code closer} and {@code settleAt} only mean something once CLOSED. */
    record Facts(Address participantA, Address participantB, Address token, Status status, long challengePeriod,
                 long settleAt, Address closer, Amount held) {

        boolean isParticipant(Address address) {
            return participantA.equals(address) || participantB.equals(address);
        }

        Address partnerOf(Address participant) {
            return participantA.equals(participant) ? participantB : participantA;
        }
    }

    /** How long an id above the known channel count is refused, with no new block seen, before the count is read again. */
    static final Duration COUNT_REREAD = Duration.ofSeconds(5);

    private static final int LOCK_STRIPES = 256;

    private final ChannelsContract contract;
    private final Clock clock;
    private final LongSupplier highestBlock;
    private final Map<Long, Facts> cache;
    private final Object[] locks = new Object[LOCK_STRIPES];
    /** Bumped by every {@link #forget}, guarded by {@code cache}: a read that saw another value may be stale. */
    private long generation;
    private volatile long knownCount;
    private final Object countLock = new Object();
    private Instant countReadAt = Instant.MIN; // guarded by countLock
    private long countReadAtBlock = -1; // guarded by countLock

    /**
     * @param highestBlock the highest block the tower's chain connection has seen: a channel can only be opened in
     *     a new one
     */
    ChannelDirectory(ChannelsContract contract, int capacity, Clock clock, LongSupplier highestBlock) {
        this.contract = contract;
        this.clock = clock;
        this.highestBlock = highestBlock;
        // Least recently used goes first: active channels stay, idle ones are read again when they return.
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Facts> eldest) {
                return size() > capacity;
            }
        };
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /** The channel's facts; empty if the contract has no such channel. */
    Optional<Facts> facts(long channelId) {
        long readingSince;
        synchronized (cache) {
            Facts known = cache.get(channelId);
            if (known != null) {
                return Optional.of(known);
            }
            readingSince = generation;
        }
        if (!mayExist(channelId)) {
            return Optional.empty();
        }
        ChannelInfo info = contract.channel(channelId);
        if (info.status() == Status.NONE) {
            return Optional.empty(); // not cached: it may be opened later
        }
        Amount held = info.status() == Status.SETTLED ? Amount.ZERO : contract.held(channelId);
        Facts facts = new Facts(info.participantA(), info.participantB(), info.token(), info.status(),
                info.challengePeriod(), info.settleAt(), info.closer(), held);
        synchronized (cache) {
            if (generation == readingSince) {
                cache.put(channelId, facts);
            }
        }
        return Optional.of(facts);
    }

    /** Something happened to the channel on chain: the next use reads it again. */
    void forget(long channelId) {
        synchronized (cache) {
            cache.remove(channelId);
            generation++;
        }
    }

    /**
     * Whether the contract may have opened {@code channelId}: yes up to the count read last; above it, only if
     * the count read again says so, and it is read again only in a new block or after {@link #COUNT_REREAD}.
     */
    private boolean mayExist(long channelId) {
        if (channelId <= knownCount) {
            return true;
        }
        synchronized (countLock) {
            Instant now = clock.instant();
            long block = highestBlock.getAsLong();
            if (channelId > knownCount && (block != countReadAtBlock || !now.isBefore(countReadAt.plus(COUNT_REREAD)))) {
                knownCount = contract.channelCount();
                countReadAt = now;
                countReadAtBlock = block;
            }
            return channelId <= knownCount;
        }
    }

    /** Runs {@code work} while holding the channel's lock. */
    <T> T locked(long channelId, Supplier<T> work) {
        synchronized (locks[(int) Long.remainderUnsigned(channelId, LOCK_STRIPES)]) {
            return work.get();
        }
    }
}
