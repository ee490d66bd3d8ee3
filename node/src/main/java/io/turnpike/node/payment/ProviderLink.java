package io.turnpike.node.payment;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.accounting.PayerDebt;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.core.service.Usage;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.service.PricedUse;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.relay.RelayRoute;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything this node knows about one provider it buys from. Confined to the provider's {@link Peer#executor()}:
 * only the fields marked otherwise are touched from other threads.
 */
final class ProviderLink {

    final Peer peer;
    final InetSocketAddress relay;
    /** Paid by on-chain transfers ({@link DirectPayments}), with no channel. */
    final boolean direct;
    /** Units of each service used since the last tick, not yet priced; added to by the local entries' threads. */
    final Map<String, AtomicLong> unpriced = new ConcurrentHashMap<>();
    /** Units charged at a price the provider named (its price moves), not yet priced; added to by the entries. */
    final Map<PricedUse, AtomicLong> priced = new ConcurrentHashMap<>();
    /** Where the local SOCKS5 entry sends new connections; read by its threads. */
    volatile RelayRoute route;
    /** The session token issued for each service on the current connection; read by the entries' threads. */
    final Map<String, String> sessionTokens = new ConcurrentHashMap<>();

    /** Written on the executor; read by the choice between providers too. */
    volatile Offer offer;
    /**
     * When each price was last offered, per service: a request admitted before the price moved pays its admission
     * price, which the provider offered at most {@link PaymentEngine#ADMITTED_PRICE_WINDOW} ago.
     */
    final Map<PricedUse, Instant> offeredPrices = new HashMap<>();
    /** The connection {@link #offer} came on: a new offer on it only renews the terms. */
    PeerConnection offeredOn;
    PayerDebt debt;
    /** What this node saw it do wrong, as stored; read by the choice between providers. */
    volatile ProviderHistory history = ProviderHistory.CLEAN;
    /** It refused a proof or overcharged on the current connection; read by the choice between providers. */
    volatile boolean misbehaving;
    /** Its overcharging on the current connection is in its history already. */
    boolean overchargeCounted;
    /** What was used of each service, priced; the debt's use is their total (since this node started). */
    Usage usage = Usage.NONE;
    /** The channel of the payment in flight, 0 if none is or it is direct. */
    long inFlightChannel;
    String tier = "paid";
    boolean opening;
    Instant lastOpenAttemptAt = Instant.EPOCH;
    boolean toppingUp;
    Instant lastResyncAt = Instant.EPOCH;
    /** Completes when the provider acknowledges the payment in flight. */
    CompletableFuture<Amount> receipt = CompletableFuture.completedFuture(Amount.ZERO);

    ProviderLink(Peer peer, InetSocketAddress relay, boolean direct, PayerDebt debt) {
        this.peer = peer;
        this.relay = relay;
        this.direct = direct;
        this.debt = debt;
    }

    Address provider() {
        return peer.address();
    }
}
