package io.turnpike.rpc;

import io.turnpike.core.Address;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** An {@link RpcMeter} that adds up the units charged per peer. */
final class ChargeLog implements RpcMeter {

    private final Map<Address, AtomicLong> units = new ConcurrentHashMap<>();

    @Override
    public void charged(Address peer, long charged) {
        units.computeIfAbsent(peer, p -> new AtomicLong()).addAndGet(charged);
    }

    long of(Address peer) {
        AtomicLong charged = units.get(peer);
        return charged == null ? 0 : charged.get();
    }

    long total() {
        return units.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
