package io.turnpike.node.provider;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.accounting.ClientDebt;
import io.turnpike.core.accounting.EnforcementPolicy;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.node.channel.ChannelManager;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.payment.PaymentEngine;
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
import io.turnpike.protocol.PeerMessage.Transfer;
import io.turnpike.relay.ClientSessions;
import io.turnpike.relay.Meter;
import io.turnpike.relay.RelayServer;
import io.turnpike.store.Channel;
import io.turnpike.store.ChannelStore;
import io.turnpike.store.Debtor;
import io.turnpike.store.Direction;
import io.turnpike.store.LedgerDelta;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.LedgerStore;
import io.turnpike.store.ReceivedTransfer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selling side of the debt keeper (DESIGN §4, §6) for bandwidth: offers its terms to every peer,
 * hands authenticated peers a relay session token, meters what the relay carries for each client, credits
 * each client's proofs (written down before the receipt leaves) and direct transfers ({@link TransferCredits}),
 * enforces late — a client over its debt
 * limit drops to the free tier, never off — and sends each client its view of the debt.
 */
public final class BandwidthProvider implements ClientSessions, Meter {

    private static final Logger LOG = LoggerFactory.getLogger(BandwidthProvider.class);
    public static final String PAID_TIER = "paid";
    public static final String FREE_TIER = "free";
    private static final java.time.Duration DEPOSIT_REREAD_INTERVAL = java.time.Duration.ofSeconds(5);

    private final ChannelManager channels;
    private final ChannelStore channelStore;
    private final LedgerStore ledger;
    private final TransferCredits transfers;
    private final NodeConfig.Provider settings;
    private final EnforcementPolicy enforcement;
    private final Clock clock;
    private final BooleanSupplier chainFresh;
    private final SecureRandom random;
    private final Map<Address, ClientAccount> clients = new ConcurrentHashMap<>();
    private volatile RelayServer relay;

    public BandwidthProvider(ChannelManager channels, ChannelStore channelStore, LedgerStore ledger,
                             TransferCredits transfers, NodeConfig.Provider settings, Clock clock,
                             BooleanSupplier chainFresh, SecureRandom random) {
        this.channels = channels;
        this.channelStore = channelStore;
        this.ledger = ledger;
        this.transfers = transfers;
        this.settings = settings;
        this.enforcement = EnforcementPolicy.withRefreshRate(settings.refreshRate());
        this.clock = clock;
        this.chainFresh = chainFresh;
        this.random = random;
    }

    /** The relay this provider meters and throttles; set once both exist. */
    public void attach(RelayServer relayServer) {
        this.relay = relayServer;
    }

    public Offer offer() {
        Asset asset = channels.asset();
        return new Offer(PaymentEngine.SERVICE, "byte", asset, settings.pricePerByte(), settings.paymentThreshold(),
                settings.refreshRate(), settings.freeTierRate(), List.of());
    }

    // ---------------------------------------------------------------- peer messages

    public void onAuthenticated(PeerConnection connection) {
        ClientAccount account = account(connection.remote());
        synchronized (account) {
            account.connection = connection;
        }
        connection.send(offer());
    }

    /** Handles a message from a client; returns false if it is not one this side handles. */
    public boolean onMessage(PeerConnection connection, PeerMessage message) {
        switch (message) {
            case ChannelSync sync -> {
                if (channels.find(sync.channelId()).map(c -> c.ourRole() == io.turnpike.store.Role.A).orElse(false)) {
                    return false; // a channel this node opened: the paying side's business
                }
                synced(connection, sync);
            }
            case SessionRequest request -> issueSession(connection, request);
            case Statement usage -> adoptReportedUsage(connection, usage);
            case Pay pay -> credit(connection, pay);
            case Transfer transfer -> transfers.received(connection.remote(), transfer).ifPresent(this::credit);
            default -> {
                return false;
            }
        }
        return true;
    }

    public void onClosed(PeerConnection connection) {
        ClientAccount account = clients.get(connection.remote());
        if (account != null) {
            synchronized (account) {
                if (account.connection == connection) {
                    account.connection = null;
                    account.sessionToken = null;
                }
            }
        }
    }

    private void synced(PeerConnection connection, ChannelSync sync) {
        Channel channel = channels.incoming(sync.channelId(), connection.remote());
        PaymentChannel payments = channels.payments(channel);
        ClientAccount account = account(connection.remote());
        synchronized (account) {
            account.channel = payments;
        }
        connection.send(new ChannelSync(payments.channelId(), sync.chainId(), sync.contract(), payments.sentNonce(),
                payments.receivedNonce()));
    }

    private void issueSession(PeerConnection connection, SessionRequest request) {
        if (!PaymentEngine.SERVICE.equals(request.service())) {
            throw new TurnpikeException(ErrorCode.MALFORMED_MESSAGE,
                    "this node sells '" + PaymentEngine.SERVICE + "', not '" + request.service() + "'");
        }
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        ClientAccount account = account(connection.remote());
        synchronized (account) {
            account.sessionToken = token;
        }
        connection.send(new SessionToken(request.service(), token));
    }

    /**
     * Verifies a payment against the client's channel and credits it. A refused proof (stale, forged,
     * another channel, more than the deposit covers) throws with its code and changes nothing.
     */
    private void credit(PeerConnection connection, Pay pay) {
        ClientAccount account = account(connection.remote());
        Receipt receipt;
        synchronized (account) {
            PaymentChannel channel = account.channel;
            long channelId = pay.proof().message().channelId();
            if (channel == null || channel.channelId() != channelId) {
                // A proof for a channel not announced on this connection: only one the client opened to us.
                Channel stored = channels.find(channelId).filter(c -> c.partner().equals(account.client))
                        .orElseThrow(() -> new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                                "no channel " + channelId + " from " + account.client + " is known; announce it first"));
                channel = channels.payments(stored);
            }
            if (channels.isSettling(channelId)) {
                throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + channelId
                        + " is being settled; it takes no more payments");
            }
            PaymentChannel.Receipt accepted;
            try {
                accepted = channel.receive(pay.proof());
            } catch (TurnpikeException e) {
                if (e.code() != ErrorCode.INSUFFICIENT_CAPACITY) {
                    throw e;
                }
                // The client may have deposited more since this node last read the channel: read it again,
                // but not on every such proof, or a peer could make each of its messages cost an RPC round trip.
                Instant now = clock.instant();
                if (now.isBefore(account.depositReadAt.plus(DEPOSIT_REREAD_INTERVAL))) {
                    throw e;
                }
                account.depositReadAt = now;
                channel = channels.payments(channels.incoming(channelId, account.client));
                accepted = channel.receive(pay.proof());
            }
            if (!channelStore.recordProof(channels.ref(channelId), Direction.RECEIVED, pay.proof())) {
                throw new TurnpikeException(ErrorCode.STALE_PROOF,
                        "a proof at least as new is already recorded for channel " + channelId);
            }
            account.channel = accepted.channel();
            account.debt = account.debt.credited(accepted.credited());
            receipt = new Receipt(channelId, pay.proof().message().nonce(), accepted.channel().receivedTotal());
        }
        connection.send(receipt);
        enforce(account, clock.instant());
    }

    /** A direct transfer, already written down, is credited and acknowledged with a statement that counts it. */
    private void credit(ReceivedTransfer transfer) {
        ClientAccount account = clients.get(transfer.peer());
        if (account == null) {
            return; // an account made later reads every credit from the store
        }
        price(account);
        synchronized (account) {
            account.debt = account.debt.credited(transfer.amount());
        }
        Instant now = clock.instant();
        sendStatement(account, now);
        enforce(account, now);
    }

    /**
     * A client reports the usage it metered, as it does on every (re)connection. If it is more than this node
     * metered — this node was killed before it wrote down its last relayed bytes — the client's figure counts;
     * a smaller figure changes nothing, since this node's own meter is what it bills.
     */
    private void adoptReportedUsage(PeerConnection connection, Statement usage) {
        ClientAccount account = account(connection.remote());
        price(account);
        synchronized (account) {
            if (usage.used().isGreaterThan(account.debt.used())) {
                Amount missing = usage.used().minus(account.debt.used());
                ledger.adjust(ledgerKey(account.client), LedgerDelta.NONE.withUsed(missing.value()));
                account.debt = account.debt.meter(missing);
                LOG.info("client {} reports {} more usage than this node wrote down; counting it", account.client,
                        missing);
            }
        }
    }

    // ---------------------------------------------------------------- relay

    @Override
    public boolean isValid(Address client, String sessionToken) {
        ClientAccount account = clients.get(client);
        if (account == null) {
            return false;
        }
        String expected;
        synchronized (account) {
            expected = account.sessionToken;
        }
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                sessionToken.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void relayed(Address client, long bytesUp, long bytesDown) {
        ClientAccount account = clients.get(client);
        if (account != null) {
            account.unpricedBytes.addAndGet(bytesUp + bytesDown);
        }
    }

    // ---------------------------------------------------------------- periodic

    /** Prices what was relayed, applies the enforcement rules and sends statements that are due. */
    public void tick() {
        try {
            transfers.recheck().forEach(this::credit);
        } catch (RuntimeException e) {
            LOG.warn("crediting held transfers failed: {}", e.getMessage());
        }
        Instant now = clock.instant();
        for (ClientAccount account : clients.values()) {
            try {
                price(account);
                enforce(account, now);
                statement(account, now);
            } catch (RuntimeException e) {
                LOG.warn("accounting for {} failed: {}", account.client, e.getMessage());
            }
        }
    }

    private void price(ClientAccount account) {
        long bytes = account.unpricedBytes.getAndSet(0);
        if (bytes == 0) {
            return;
        }
        Amount cost = settings.pricePerByte().times(bytes);
        synchronized (account) {
            ledger.adjust(ledgerKey(account.client), LedgerDelta.NONE.withUsed(cost.value()));
            account.debt = account.debt.meter(cost);
        }
    }

    private void enforce(ClientAccount account, Instant now) {
        boolean changed;
        boolean throttled;
        PeerConnection connection;
        synchronized (account) {
            ClientDebt next = enforcement.apply(account.debt, settings.paymentThreshold(), now, chainFresh.getAsBoolean());
            changed = next.throttled() != account.debt.throttled();
            account.debt = next;
            throttled = next.throttled();
            connection = account.connection;
        }
        if (!changed) {
            return;
        }
        long rate = throttled ? settings.freeTierRate() : RelayServer.UNLIMITED;
        RelayServer r = relay;
        if (r != null) {
            r.setRate(account.client, rate);
        }
        LOG.info("client {} {}", account.client, throttled ? "throttled to the free tier" : "back to full speed");
        if (connection != null && connection.isOpen()) {
            connection.send(new Throttle(throttled ? FREE_TIER : PAID_TIER, throttled ? settings.freeTierRate() : 0));
        }
    }

    private void statement(ClientAccount account, Instant now) {
        synchronized (account) {
            if (now.isBefore(account.lastStatementAt.plus(settings.statementInterval()))) {
                return;
            }
        }
        sendStatement(account, now);
    }

    private void sendStatement(ClientAccount account, Instant now) {
        Statement statement;
        PeerConnection connection;
        synchronized (account) {
            if (account.connection == null) {
                return;
            }
            account.lastStatementAt = now;
            statement = new Statement(account.debt.used(), account.debt.paid(), account.debt.debt());
            connection = account.connection;
        }
        if (connection.isOpen()) {
            connection.send(statement);
        }
    }

    // ---------------------------------------------------------------- views

    public boolean serves(Address peer) {
        return clients.containsKey(peer);
    }

    public List<PeerView> views() {
        return clients.values().stream().map(account -> {
            synchronized (account) {
                ClientDebt d = account.debt;
                return new PeerView(account.client, account.connection != null && account.connection.isOpen(),
                        "client", d.throttled() ? FREE_TIER : PAID_TIER, d.used(), d.paid(), d.debt(), d.credit(),
                        Amount.ZERO, Optional.ofNullable(account.channel).map(PaymentChannel::channelId));
            }
        }).toList();
    }

    private ClientAccount account(Address client) {
        return clients.computeIfAbsent(client, c -> {
            Instant now = clock.instant();
            Amount used = ledger.get(ledgerKey(c)).used();
            Amount paid = channelStore.listByPartner(c).stream()
                    .map(ch -> ch.received().map(p -> p.message().transferred()).orElse(Amount.ZERO))
                    .reduce(Amount.ZERO, Amount::plus)
                    .plus(transfers.creditedTotal(c));
            return new ClientAccount(c, new ClientDebt(used, paid, Amount.ZERO, now, false), now);
        });
    }

    private LedgerKey ledgerKey(Address client) {
        return new LedgerKey(client, channels.asset().token(), Debtor.PEER);
    }
}
