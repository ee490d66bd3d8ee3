package io.turnpike.node.provider;

import io.turnpike.core.accounting.ClientDebt;
import io.turnpike.node.peer.Peer;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client of this provider. Confined to the client's {@link Peer#executor()}; only the fields marked otherwise
 * are touched from other threads.
 */
final class ClientAccount {

    final Peer peer;
    /** Bytes relayed since the last tick; added to by the relay's threads. */
    final AtomicLong unpricedBytes = new AtomicLong();
    /** The relay session token issued on the current connection; checked by the relay's threads. */
    volatile String sessionToken;

    ClientDebt debt;
    /** Served at the free tier: over its debt limit, or its channel is no longer open. */
    boolean free;
    Instant lastStatementAt;
    /** When the client's deposit was last read from the chain because a proof went beyond it. */
    Instant depositReadAt = Instant.EPOCH;

    ClientAccount(Peer peer, ClientDebt debt, Instant now) {
        this.peer = peer;
        this.debt = debt;
        this.lastStatementAt = now;
    }
}
