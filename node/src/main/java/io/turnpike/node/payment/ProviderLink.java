package io.turnpike.node.payment;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.accounting.PayerDebt;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage.Offer;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything this node knows about one provider it buys from. Guarded by the {@link PaymentEngine}, which
 * synchronises on the link for every change.
 */
final class ProviderLink {

    final Address provider;
    final InetSocketAddress relay;
    /** Paid by on-chain transfers ({@link DirectPayments}), with no channel. */
    final boolean direct;
    /** Bytes relayed since the last tick, not yet priced into {@link #debt}. */
    final AtomicLong unpricedBytes = new AtomicLong();

    PeerConnection connection;
    Offer offer;
    PaymentChannel channel;
    PayerDebt debt;
    String sessionToken;
    String tier = "paid";
    boolean toppingUp;
    java.time.Instant lastResyncAt = java.time.Instant.EPOCH;
    Amount lastStatementDiscrepancy = Amount.ZERO;
    /** Completes when the provider acknowledges the payment in flight. */
    CompletableFuture<Amount> receipt = CompletableFuture.completedFuture(Amount.ZERO);

    ProviderLink(Address provider, InetSocketAddress relay, boolean direct, PayerDebt debt) {
        this.provider = provider;
        this.relay = relay;
        this.direct = direct;
        this.debt = debt;
    }

    boolean isReady() {
        return connection != null && connection.isOpen() && offer != null && (channel != null || direct);
    }
}
