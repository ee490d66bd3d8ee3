package io.turnpike.node.provider;

import io.turnpike.core.Address;
import io.turnpike.core.accounting.ClientDebt;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.protocol.PeerConnection;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** One client of this provider. Guarded by {@link BandwidthProvider}, which synchronises on it for every change. */
final class ClientAccount {

    final Address client;
    final AtomicLong unpricedBytes = new AtomicLong();

    PeerConnection connection;
    PaymentChannel channel;
    ClientDebt debt;
    String sessionToken;
    Instant lastStatementAt;
    /** When the client's deposit was last read from the chain because a proof went beyond it. */
    Instant depositReadAt = Instant.EPOCH;

    ClientAccount(Address client, ClientDebt debt, Instant now) {
        this.client = client;
        this.debt = debt;
        this.lastStatementAt = now;
    }
}
