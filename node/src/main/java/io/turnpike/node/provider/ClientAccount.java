package io.turnpike.node.provider;

import io.turnpike.core.accounting.ClientDebt;
import io.turnpike.core.service.Standing;
import io.turnpike.core.service.Usage;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.service.PricedUse;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of this provider. Confined to the client's {@link Peer#executor()}; only the fields marked otherwise
 * are touched from other threads.
 */
final class ClientAccount {

    final Peer peer;
    /** Units each service reported since the last tick, by service; added to by the services' threads. */
    final Map<String, AtomicLong> unpriced = new ConcurrentHashMap<>();
    /** Units reported with the price they were charged at since the last tick; added to by the services' threads. */
    final Map<PricedUse, AtomicLong> priced = new ConcurrentHashMap<>();
    /** The session token issued for each service on the current connection; checked by the services' threads. */
    final Map<String, String> sessionTokens = new ConcurrentHashMap<>();

    ClientDebt debt;
    /** What was used of each service, priced; the debt is their total. */
    Usage usage = Usage.NONE;
    Standing standing = Standing.PAID;
    /** Whether the client ever paid this node on chain (a direct transfer, an x402 exact payment): staked. */
    boolean paidOnChain;
    /**
     * Whether the peer asked for a service: only then is it told its tier. A peer that only sells to this node, or
     * only looks, is not sent {@code throttle} messages it has no use for.
     */
    boolean buys;
    /** When its last connection closed; null while connected. */
    Instant disconnectedAt;
    Instant lastStatementAt;
    /** When the client's deposit was last read from the chain because a proof went beyond it. */
    Instant depositReadAt = Instant.EPOCH;
    /** The chain lookups the client's messages asked for: the first one running, the others waiting their turn. */
    final Queue<Runnable> chainChecks = new ArrayDeque<>();

    ClientAccount(Peer peer, ClientDebt debt, Instant now) {
        this.peer = peer;
        this.debt = debt;
        this.lastStatementAt = now;
    }
}
