package io.turnpike.chain.market;

import io.turnpike.chain.Chain;
import io.turnpike.chain.watch.LogListener;
import io.turnpike.chain.watch.LogWatcher;
import io.turnpike.chain.watch.WatchConfig;
import io.turnpike.core.Address;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.store.BlockRef;
import io.turnpike.store.ObservedSubscription;
import io.turnpike.store.Store;
import io.turnpike.store.SubscriptionStore;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.core.methods.response.Log;

/**
 * What a provider knows of the subscriptions paid to it (DESIGN §7): the {@code Subscribed} events of one
 * TurnpikeMarket deployment, read by a {@link LogWatcher} only once they are {@code confirmations} deep (its lag), kept
 * in the store beside the watcher's cursor, and taken back when a re-org replaces their blocks. Per (beneficiary,
 * provider, plan) it holds the expiry the newest confirmed event gives; the contract's expiry only grows, so that is
 * the latest one. Nothing is claimed by hand: a subscription is honoured once it is deep enough.
 *
 * <p>{@link #poll()} runs on one thread (the node's chain loop); {@link #expiresAt} is read from any thread.
 */
public final class SubscriptionFollower {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionFollower.class);

    /** Whose subscription to what. */
    public record Key(Address beneficiary, Address provider, long planId) {
    }

    private final Address market;
    private final SubscriptionStore store;
    private final LogWatcher watcher;
    /** Replaced whole after a rewind, so a reader never sees a half-rebuilt table. */
    private volatile Map<Key, Long> expiries;

    /**
     * Follows {@code market} on {@code chain}, resuming from what {@code store} holds.
     *
     * @param from where to start reading without a cursor (the market's deployment block) and how; its lag is set to
     *     {@code confirmations − 1}, so an event in the newest block counts as one confirmation
     * @param confirmations how deep an event must be to be honoured, at least 1
     */
    public SubscriptionFollower(Chain chain, Address market, Store store, WatchConfig from, int confirmations) {
        if (confirmations < 1) {
            throw new IllegalArgumentException("confirmations are at least 1 (the newest block), got " + confirmations);
        }
        this.market = market;
        this.store = SubscriptionStore.of(store);
        this.expiries = load();
        this.watcher = new LogWatcher(chain, market, store.cursors(), from.withLag(confirmations - 1), new Events());
    }

    /** Reads what is new and deep enough; returns how many subscriptions were read. Never throws for the chain. */
    public int poll() {
        return watcher.poll();
    }

    /** Until when (unix seconds, the chain's clock) the confirmed events say the subscription runs; empty if never. */
    public OptionalLong expiresAt(Address beneficiary, Address provider, long planId) {
        Long expiry = expiries.get(new Key(beneficiary, provider, planId));
        return expiry == null ? OptionalLong.empty() : OptionalLong.of(expiry);
    }

    /** Every confirmed subscription {@code beneficiary} holds, to any provider's plan, with its expiry (unix seconds). */
    public Map<Key, Long> heldBy(Address beneficiary) {
        Map<Key, Long> held = new java.util.HashMap<>();
        expiries.forEach((key, expiry) -> {
            if (key.beneficiary().equals(beneficiary)) {
                held.put(key, expiry);
            }
        });
        return held;
    }

    private Map<Key, Long> load() {
        Map<Key, Long> loaded = new ConcurrentHashMap<>();
        store.all(market).forEach(event -> take(loaded, event));
        return loaded;
    }

    private static void take(Map<Key, Long> into, ObservedSubscription event) {
        into.merge(new Key(event.beneficiary(), event.provider(), event.planId()), event.expiresAt(), Math::max);
    }

    private final class Events implements LogListener {

        @Override
        public boolean onLog(Log log) {
            Optional<MarketEvent> event = MarketContract.decode(log);
            if (!(event.orElse(null) instanceof MarketEvent.Subscribed subscribed)) {
                return false;
            }
            ObservedSubscription observed = new ObservedSubscription(
                    new BlockRef(log.getBlockNumber().longValueExact(), Bytes32.fromHex(log.getBlockHash())),
                    log.getLogIndex().longValueExact(), subscribed.subscriber(), subscribed.beneficiary(),
                    subscribed.provider(), subscribed.planId(), subscribed.periods(), subscribed.paid(),
                    subscribed.expiresAt());
            // Stored before it counts: after a restart the cursor is past it and it is not read again.
            store.record(market, observed);
            take(expiries, observed);
            return true;
        }

        @Override
        public void onRewind(long fromBlock) {
            store.forgetFrom(market, fromBlock);
            expiries = load();
            LOG.warn("blocks from {} on were re-organised: subscriptions read from them are revoked until read again",
                    fromBlock);
        }
    }
}
