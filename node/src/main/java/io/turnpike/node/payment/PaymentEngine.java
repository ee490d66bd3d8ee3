package io.turnpike.node.payment;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.accounting.PayerDebt;
import io.turnpike.core.accounting.PaymentPolicy;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.node.channel.ChannelManager;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.Offer;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.SessionToken;
import io.turnpike.protocol.PeerMessage.Statement;
import io.turnpike.protocol.PeerMessage.Throttle;
import io.turnpike.relay.RelayRoute;
import io.turnpike.store.Channel;
import io.turnpike.store.Debtor;
import io.turnpike.store.Direction;
import io.turnpike.store.LedgerDelta;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.LedgerStore;
import io.turnpike.store.ChannelStore;
import io.turnpike.core.crypto.PrivateKey;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paying side of the debt keeper (DESIGN §4): meters what this node uses through each provider,
 * pays early over the provider's channel — one payment in flight, the whole amount owed — and resyncs on
 * reconnect. A payment's proof is written down before it is sent; what has been paid is the channels'
 * cumulative proofs, so a lost or repeated message costs nothing. A provider configured for direct settlement
 * is paid by on-chain transfers instead ({@link DirectPayments}).
 */
public final class PaymentEngine {

    public static final String SERVICE = "bandwidth";
    private static final Logger LOG = LoggerFactory.getLogger(PaymentEngine.class);
    private static final Duration RECEIPT_WAIT = Duration.ofSeconds(30);
    private static final Duration STUCK_AFTER = Duration.ofSeconds(10);

    private final PrivateKey key;
    private final ChannelManager channels;
    private final ChannelStore channelStore;
    private final LedgerStore ledger;
    private final PaymentPolicy policy;
    private final Amount deposit;
    private final Amount topUpBelow;
    private final Clock clock;
    private final Executor background;
    private final DirectPayments direct;
    private final Map<Address, ProviderLink> links = new ConcurrentHashMap<>();

    public PaymentEngine(PrivateKey key, ChannelManager channels, ChannelStore channelStore, LedgerStore ledger,
                         PaymentPolicy policy, Amount deposit, Amount topUpBelow, Clock clock, Executor background,
                         DirectPayments direct) {
        this.key = key;
        this.channels = channels;
        this.channelStore = channelStore;
        this.ledger = ledger;
        this.policy = policy;
        this.deposit = deposit;
        this.topUpBelow = topUpBelow;
        this.clock = clock;
        this.background = background;
        this.direct = direct;
    }

    /** Registers a provider to buy from; its debt is read back from the store. */
    public void addProvider(Address provider, InetSocketAddress relay, NodeConfig.Settlement settlement) {
        Amount used = ledger.get(ledgerKey(provider)).used();
        Amount committed = channelStore.listByPartner(provider).stream()
                .map(c -> c.sent().map(p -> p.message().transferred()).orElse(Amount.ZERO))
                .reduce(Amount.ZERO, Amount::plus)
                .plus(direct.acknowledged(provider));
        // What the proofs commit counts as paid; a provider that missed the newest gets it again at resync.
        links.put(provider, new ProviderLink(provider, relay, settlement == NodeConfig.Settlement.DIRECT,
                new PayerDebt(used, committed, direct.resume(provider), clock.instant())));
    }

    public boolean buysFrom(Address peer) {
        return links.containsKey(peer);
    }

    // ---------------------------------------------------------------- peer messages

    /** Handles a message from a provider; returns false if it is not one this side handles. */
    public boolean onMessage(PeerConnection connection, PeerMessage message) {
        ProviderLink link = links.get(connection.remote());
        if (link == null) {
            return false;
        }
        switch (message) {
            case Offer offer -> offered(link, connection, offer);
            case ChannelSync sync -> resync(link, sync);
            case SessionToken token -> {
                synchronized (link) {
                    link.sessionToken = token.token();
                }
            }
            case Receipt receipt -> acknowledged(link, receipt);
            case Statement statement -> stated(link, statement);
            case Throttle throttle -> {
                synchronized (link) {
                    link.tier = throttle.tier();
                }
                LOG.info("provider {} put this node in tier {} ({} bytes/s)", link.provider, throttle.tier(),
                        throttle.rate());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    public void onClosed(PeerConnection connection) {
        ProviderLink link = links.get(connection.remote());
        if (link != null) {
            synchronized (link) {
                if (link.connection == connection) {
                    link.connection = null;
                    link.sessionToken = null;
                    // The payment in flight is resent at the next resync if the provider missed it. A direct one
                    // may still fail on chain, so it stays in flight until the provider acknowledges it.
                    link.debt = link.debt.hasPaymentInFlight() && !direct.isPaying(link.provider)
                            ? link.debt.acknowledged() : link.debt;
                }
            }
        }
    }

    private void offered(ProviderLink link, PeerConnection connection, Offer offer) {
        if (!offer.asset().token().equals(channels.asset().token())) {
            throw new TurnpikeException(ErrorCode.MALFORMED_MESSAGE, "this node pays in " + channels.asset().symbol()
                    + ", the offer is in " + offer.asset().symbol());
        }
        synchronized (link) {
            link.connection = connection;
            link.offer = offer;
        }
        direct.connected(link);
        reportUsage(link, connection);
        if (link.direct) {
            connection.send(new SessionRequest(SERVICE)); // no channel to open first
            return;
        }
        // Opening a channel waits for the chain; never on the connection's I/O thread.
        background.execute(() -> {
            try {
                Channel channel = channels.outgoing(link.provider, deposit);
                PaymentChannel payments = channels.payments(channel);
                synchronized (link) {
                    link.channel = payments;
                }
                connection.send(new ChannelSync(payments.channelId(), channels.contract().domain().chainId(),
                        channels.contract().address(), payments.sentNonce(), payments.receivedNonce()));
                connection.send(new SessionRequest(SERVICE));
            } catch (RuntimeException e) {
                LOG.warn("cannot set up a channel to {}: {}", link.provider, e.getMessage());
                connection.close();
            }
        });
    }

    /**
     * Tells a provider, on every (re)connection, how much this node has metered through it: a provider that was
     * killed between two of its accounting ticks lost the last of its own metering, and takes the larger figure.
     * Reporting more use only ever costs the reporter.
     */
    private void reportUsage(ProviderLink link, PeerConnection connection) {
        price(link);
        PayerDebt debt;
        synchronized (link) {
            debt = link.debt;
        }
        connection.send(new Statement(debt.used(), debt.paid(), debt.owed()));
    }

    /** The provider's view of the channel: resend the newest proof if it is behind. */
    private void resync(ProviderLink link, ChannelSync sync) {
        Optional<Pay> resend;
        synchronized (link) {
            if (link.channel == null || link.channel.channelId() != sync.channelId()) {
                throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "channel " + sync.channelId()
                        + " is not the channel this node pays through");
            }
            resend = sync.receivedNonce() < link.channel.sentNonce()
                    ? link.channel.sent().map(Pay::new) : Optional.empty();
            if (resend.isEmpty() && link.debt.hasPaymentInFlight()) {
                // The provider holds the newest proof: its receipt was lost, the payment went through.
                link.debt = link.debt.acknowledged();
                link.receipt.complete(link.channel.sentTotal());
            }
        }
        resend.ifPresent(pay -> {
            LOG.info("provider {} holds nonce {}, resending nonce {}", link.provider, sync.receivedNonce(),
                    pay.proof().message().nonce());
            send(link, pay);
        });
    }

    private void acknowledged(ProviderLink link, Receipt receipt) {
        CompletableFuture<Amount> done;
        synchronized (link) {
            if (link.channel == null || receipt.channelId() != link.channel.channelId()
                    || receipt.nonce() != link.channel.sentNonce()) {
                return; // a receipt for an older proof: the newer one's receipt settles it
            }
            link.debt = link.debt.acknowledged();
            done = link.receipt;
        }
        done.complete(receipt.credited());
    }

    private void stated(ProviderLink link, Statement statement) {
        direct.stated(link, statement);
        price(link);
        PaymentPolicy.StatementCheck check;
        synchronized (link) {
            if (link.offer == null) {
                return;
            }
            check = policy.check(link.debt, statement.used(), statement.debt(), link.offer.paymentThreshold());
            link.lastStatementDiscrepancy = check.agreed() ? Amount.ZERO
                    : (check.providerUsed().isGreaterThan(check.ownUsed())
                    ? check.providerUsed().minus(check.ownUsed()) : check.ownUsed().minus(check.providerUsed()));
        }
        if (!check.agreed()) {
            LOG.warn("provider {} counts usage of {}, this node's meter {}: beyond tolerance, paying only its own figure",
                    link.provider, check.providerUsed(), check.ownUsed());
        } else if (!check.toPay().isZero() && link.isReady()) {
            // The meters agree: settle the provider's figure, which covers bytes this node has not priced yet.
            pay(link, check.toPay());
        }
    }

    // ---------------------------------------------------------------- metering and paying

    /** Bytes relayed through {@code provider} (both directions), from the local entry's meter. */
    public void metered(Address provider, long bytes) {
        ProviderLink link = links.get(provider);
        if (link != null) {
            link.unpricedBytes.addAndGet(bytes);
        }
    }

    /** Prices what was relayed since the last tick and pays whatever the policy says is due. */
    public void tick() {
        for (ProviderLink link : links.values()) {
            try {
                price(link);
                direct.advance(link);
                Optional<Amount> due;
                synchronized (link) {
                    due = link.isReady() ? policy.due(link.debt, link.offer.paymentThreshold(), clock.instant())
                            : Optional.empty();
                }
                due.ifPresent(amount -> pay(link, amount));
                topUpIfLow(link);
                resyncIfStuck(link);
            } catch (RuntimeException e) {
                LOG.warn("paying {} failed: {}", link.provider, e.getMessage());
            }
        }
    }

    /**
     * A payment unacknowledged for long — its receipt lost, or the provider refused it (it may not have seen a
     * top-up yet) — is neither forgotten nor paid again: a resync asks the provider what it holds, and the
     * answer either acknowledges it or has the same proof sent again. Once per {@link #STUCK_AFTER}.
     */
    private void resyncIfStuck(ProviderLink link) {
        ChannelSync sync;
        synchronized (link) {
            java.time.Instant now = clock.instant();
            if (!link.isReady() || !link.debt.hasPaymentInFlight()
                    || now.isBefore(link.debt.lastPaymentAt().plus(STUCK_AFTER))
                    || now.isBefore(link.lastResyncAt.plus(STUCK_AFTER))) {
                return;
            }
            link.lastResyncAt = now;
            sync = new ChannelSync(link.channel.channelId(), channels.contract().domain().chainId(),
                    channels.contract().address(), link.channel.sentNonce(), link.channel.receivedNonce());
        }
        send(link, sync);
    }

    /** Deposits more when the channel runs low; on chain, so off the accounting thread. */
    private void topUpIfLow(ProviderLink link) {
        synchronized (link) {
            if (link.channel == null || link.toppingUp || !link.channel.spendable().isLessThan(topUpBelow)) {
                return;
            }
            link.toppingUp = true;
        }
        background.execute(() -> {
            try {
                Channel funded = channels.topUp(channels.find(link.channel.channelId()).orElseThrow(), deposit);
                synchronized (link) {
                    link.channel = link.channel.withTotals(funded.ours().deposit(), funded.ours().withdrawn(),
                            link.channel.partnerDeposit(), link.channel.partnerWithdrawn());
                }
                LOG.info("topped up the channel to {} to {}", link.provider, funded.ours().deposit());
            } catch (RuntimeException e) {
                LOG.warn("topping up the channel to {} failed: {}", link.provider, e.getMessage());
            } finally {
                synchronized (link) {
                    link.toppingUp = false;
                }
            }
        });
    }

    private void price(ProviderLink link) {
        synchronized (link) {
            if (link.offer == null) {
                return;
            }
            long bytes = link.unpricedBytes.getAndSet(0);
            if (bytes == 0) {
                return;
            }
            Amount cost = link.offer.pricePerUnit().times(bytes);
            ledger.adjust(ledgerKey(link.provider), LedgerDelta.NONE.withUsed(cost.value()));
            link.debt = link.debt.meter(cost);
        }
    }

    /** Signs, writes down, then sends the next proof; returns the future of the provider's receipt. */
    private CompletableFuture<Amount> pay(ProviderLink link, Amount amount) {
        if (link.direct) {
            return direct.pay(link, amount);
        }
        Pay message;
        CompletableFuture<Amount> receipt;
        synchronized (link) {
            if (link.debt.hasPaymentInFlight() || channels.isSettling(link.channel.channelId())) {
                return link.receipt;
            }
            Amount paying = amount.min(link.channel.spendable());
            if (paying.isZero()) {
                throw new TurnpikeException(ErrorCode.INSUFFICIENT_FUNDS, "the channel to " + link.provider
                        + " is spent; deposit more to keep paying");
            }
            PaymentChannel.Payment payment = link.channel.pay(paying, key);
            if (!channelStore.recordProof(channels.ref(payment.proof().message().channelId()), Direction.SENT,
                    payment.proof())) {
                throw new IllegalStateException("a newer proof is already recorded for channel "
                        + payment.proof().message().channelId() + "; is another process using this data directory?");
            }
            link.channel = payment.channel();
            link.debt = link.debt.sending(paying, clock.instant());
            link.receipt = new CompletableFuture<>();
            receipt = link.receipt;
            message = new Pay(payment.proof());
        }
        send(link, message);
        return receipt;
    }

    private void send(ProviderLink link, PeerMessage message) {
        PeerConnection connection = link.connection;
        if (connection != null && connection.isOpen()) {
            connection.send(message);
        }
    }

    // ---------------------------------------------------------------- for the local entry and the operator

    /** Where the local SOCKS5 entry sends a new connection: a provider with a channel and a session token. */
    public Optional<RelayRoute> route() {
        return links.values().stream()
                .filter(link -> {
                    synchronized (link) {
                        return link.isReady() && link.sessionToken != null;
                    }
                })
                .min(Comparator.comparing(link -> link.provider))
                .map(link -> {
                    synchronized (link) {
                        return new RelayRoute(link.provider, link.relay, key.address(), link.sessionToken);
                    }
                });
    }

    public PaymentPreview preview(Address provider) {
        ProviderLink link = link(provider);
        price(link);
        synchronized (link) {
            if (link.channel == null) {
                throw new ControlException("no_channel", 409, "no channel to " + provider + " yet; is it connected?");
            }
            return new PaymentPreview(provider, link.debt.owed(), channels.asset(), link.channel.channelId());
        }
    }

    /** "Pay debts now": pays everything owed and waits for the provider's receipt. */
    public PaymentResult payNow(Address provider) {
        PaymentPreview preview = preview(provider);
        if (preview.amount().isZero()) {
            throw ControlException.nothingOwed(provider);
        }
        ProviderLink link = link(provider);
        try {
            pay(link, preview.amount()).get(RECEIPT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new ControlException("no_receipt", 504, "the payment was sent but " + provider
                    + " did not acknowledge it within " + RECEIPT_WAIT.toSeconds() + " s; it will be resent on reconnect");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted", 503, "interrupted while waiting for the receipt");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ControlException("payment_failed", 502, e.getCause().getMessage());
        }
        synchronized (link) {
            return new PaymentResult(provider, preview.amount(), channels.asset(), link.channel.channelId(),
                    link.channel.sentNonce(), link.debt.paid(), link.debt.owed());
        }
    }

    public List<PeerView> views() {
        return links.values().stream().map(link -> {
            synchronized (link) {
                PayerDebt d = link.debt;
                return new PeerView(link.provider, link.connection != null && link.connection.isOpen(), "provider",
                        link.tier, d.used(), d.paid(), d.owed(), d.credit(), d.inFlight(),
                        Optional.ofNullable(link.channel).map(PaymentChannel::channelId));
            }
        }).toList();
    }

    private ProviderLink link(Address provider) {
        ProviderLink link = links.get(provider);
        if (link == null) {
            throw ControlException.unknownPeer(provider);
        }
        return link;
    }

    private LedgerKey ledgerKey(Address provider) {
        return new LedgerKey(provider, channels.asset().token(), Debtor.US);
    }
}
