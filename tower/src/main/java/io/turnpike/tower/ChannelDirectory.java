package io.turnpike.tower;

import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ChannelsContract.ChannelInfo;
import io.turnpike.chain.ChannelsContract.Status;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the chain says about a channel, read once and kept until one of the channel's events may have changed
 * it: uploads then cost no RPC after a channel's first. Work on one channel (an upload, an event) runs under
 * that channel's lock, so a read cannot put back facts an event has just made stale, and an upload cannot
 * store a proof for a channel whose settlement is being handled.
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

    private static final int LOCK_STRIPES = 256;

    private final ChannelsContract contract;
    private final Map<Long, Facts> cache;
    private final Object[] locks = new Object[LOCK_STRIPES];

    ChannelDirectory(ChannelsContract contract, int capacity) {
        this.contract = contract;
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
        synchronized (cache) {
            Facts known = cache.get(channelId);
            if (known != null) {
                return Optional.of(known);
            }
        }
        ChannelInfo info = contract.channel(channelId);
        if (info.status() == Status.NONE) {
            return Optional.empty(); // not cached: it may be opened later
        }
        Amount held = info.status() == Status.SETTLED ? Amount.ZERO : contract.held(channelId);
        Facts facts = new Facts(info.participantA(), info.participantB(), info.token(), info.status(),
                info.challengePeriod(), info.settleAt(), info.closer(), held);
        synchronized (cache) {
            cache.put(channelId, facts);
        }
        return Optional.of(facts);
    }

    /** Something happened to the channel on chain: the next use reads it again. */
    void forget(long channelId) {
        synchronized (cache) {
            cache.remove(channelId);
        }
    }

    /** Runs {@code work} while holding the channel's lock. */
    <T> T locked(long channelId, Supplier<T> work) {
        synchronized (locks[(int) Long.remainderUnsigned(channelId, LOCK_STRIPES)]) {
            return work.get();
        }
    }
}
