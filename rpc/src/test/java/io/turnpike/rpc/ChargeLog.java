package io.turnpike.rpc;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** An {@link RpcMeter} that adds up the units charged per peer, and what they cost at the prices charged. */
final class ChargeLog implements RpcMeter {

    private final Map<Address, AtomicLong> units = new ConcurrentHashMap<>();
    private final Map<Address, AtomicReference<Amount>> costs = new ConcurrentHashMap<>();

    @Override
    public void charged(Address peer, long charged, Amount pricePerUnit) {
        units.computeIfAbsent(peer, p -> new AtomicLong()).addAndGet(charged);
        costs.computeIfAbsent(peer, p -> new AtomicReference<>(Amount.ZERO))
                .accumulateAndGet(pricePerUnit.times(charged), Amount::plus);
    }

    long of(Address peer) {
        AtomicLong charged = units.get(peer);
        return charged == null ? 0 : charged.get();
    }

    /** What {@code peer} was charged, in the asset's smallest unit. */
    Amount costOf(Address peer) {
        AtomicReference<Amount> cost = costs.get(peer);
        return cost == null ? Amount.ZERO : cost.get();
    }

    long total() {
        return units.values().stream().mapToLong(AtomicLong::get).sum();
    }
}
