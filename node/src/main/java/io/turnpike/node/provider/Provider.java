package io.turnpike.node.provider;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.accounting.ClientDebt;
import io.turnpike.core.accounting.EnforcementPolicy;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.Role;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.service.Standing;
import io.turnpike.node.channel.ChannelChain;
import io.turnpike.node.channel.PeerChannels;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.service.PricedUse;
import io.turnpike.node.service.ServiceSessions;
import io.turnpike.node.service.SoldService;
import io.turnpike.node.service.UsageMeter;
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
import io.turnpike.store.DailyEarning;
import io.turnpike.store.Debtor;
import io.turnpike.store.LedgerBalance;
import io.turnpike.store.LedgerDelta;
import io.turnpike.store.LedgerKey;
import io.turnpike.store.LedgerStore;
import io.turnpike.store.ReceivedTransfer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The selling side of the debt keeper (DESIGN §4, §6), for every service this node sells: offers their terms to
 * every peer, hands authenticated peers a session token for a service's surface, prices what each service reports
 * each client used into one debt, credits each client's
 * proofs (through its channel's transition, so written down before the receipt leaves) and direct transfers
 * ({@link TransferCredits}), enforces late — a client over its debt limit, or whose channel is no longer open,
 * is {@link Standing#FREE}, which each service applies its own way, never cut off — and sends each client its view
 * of the debt, itemised per service. Everything about a client runs on its {@link Peer#executor()}; what waits for
 * the chain runs in the background.
 */
public final class Provider implements ServiceSessions, UsageMeter {

    private static final Logger LOG = LoggerFactory.getLogger(Provider.class);
    private static final Duration DEPOSIT_REREAD_INTERVAL = Duration.ofSeconds(5);
    private static final int MAX_WAITING_CHAIN_CHECKS = 16;

    private final Peers peers;
    private final ChannelChain chain;
    private final LedgerStore ledger;
    private final TransferCredits transfers;
    private final NodeConfig.Provider settings;
    private final Asset asset;
    private final EnforcementPolicy enforcement;
    private final Clock clock;
    private final BooleanSupplier chainFresh;
    private final SecureRandom random;
    private final Executor background;
    private final MetricsTracker metrics;
    private final Map<String, SoldService> services = new LinkedHashMap<>();
    private final Map<Address, ClientAccount> clients = new ConcurrentHashMap<>();

    public Provider(List<SoldService> sold, Peers peers, ChannelChain chain, LedgerStore ledger,
                    TransferCredits transfers, NodeConfig.Provider settings, Asset asset, Clock clock,
                    BooleanSupplier chainFresh, SecureRandom random, Executor background, MetricsTracker metrics) {
        this.metrics = metrics;
        sold.forEach(service -> services.put(service.name(), service));
        this.peers = peers;
        this.chain = chain;
        this.ledger = ledger;
        this.transfers = transfers;
        this.settings = settings;
        this.asset = asset;
        this.enforcement = EnforcementPolicy.withRefreshRate(settings.refreshRate());
        this.clock = clock;
        this.chainFresh = chainFresh;
        this.random = random;
        this.background = background;
    }

    public Offer offer() {
        return new Offer(services.values().stream()
                .map(s -> new Offer.ServiceTerms(s.name(), s.unit(), s.pricePerUnit(), s.costs())).toList(),
                asset, settings.paymentThreshold(), settings.refreshRate(), freeRate(), List.of());
    }

    /** The rate a client at the free tier still gets, as the offer and a throttle state it. */
    private long freeRate() {
        return services.values().stream().mapToLong(SoldService::freeRate).max().orElse(0);
    }

    /** The services sold, by name. */
    public List<String> services() {
        return List.copyOf(services.keySet());
    }

    // ---------------------------------------------------------------- peer messages, on the client's executor

    public void onAuthenticated(Peer peer) {
        ClientAccount account = account(peer);
        account.disconnectedAt = null;
        peer.send(offer());
        // Before any session is handed out: a new key starts at the free tier, not on credit.
        enforce(account, clock.instant());
    }

    /** Handles a message from a client; returns false if it is not one this side handles. */
    public boolean onMessage(Peer peer, PeerConnection connection, PeerMessage message) {
        switch (message) {
            case ChannelSync sync -> {
                if (peer.channels().get(sync.channelId()).map(c -> c.role() == Role.A).orElse(false)) {
                    return false; // a channel this node opened: the paying side's
                }
                synced(peer, connection, sync);
            }
            case SessionRequest request -> issueSession(peer, request);
            case PeerMessage.CapacityQuery query -> quote(peer, query);
            case Statement usage -> adoptReportedUsage(peer, usage);
            case Pay pay -> credit(peer, connection, pay);
            case Transfer transfer -> receiveTransfer(peer, connection, transfer);
            default -> {
                return false;
            }
        }
        return true;
    }

    public void onClosed(Address client) {
        ClientAccount account = clients.get(client);
        if (account != null) {
            account.sessionTokens.clear();
            account.disconnectedAt = clock.instant();
        }
    }

    /** A channel the client announces: checked on chain in the background, then held and answered with our nonces. */
    private void synced(Peer peer, PeerConnection connection, ChannelSync sync) {
        Address client = peer.address();
        Optional<Channel> known = peer.channels().get(sync.channelId());
        checkOnChain(peer, sync, () -> {
            try {
                Channel onChain = chain.incoming(sync.channelId(), client, known);
                peer.executor().execute(() -> {
                    Channel held = peer.channels().adopt(onChain);
                    peer.send(new ChannelSync(held.channelId(), sync.chainId(), sync.contract(), held.sentNonce(),
                            held.receivedNonce()));
                    enforce(account(peer), clock.instant());
                });
            } catch (TurnpikeException refused) {
                peer.executor().execute(() -> peer.refuse(connection, sync, refused));
            } catch (RuntimeException e) {
                LOG.warn("cannot check channel {} of {} on chain: {}", sync.channelId(), client, e.getMessage());
            }
        });
    }

    /**
     * Runs a chain lookup that a client's message asked for, on the chain's side: one at a time per client, and at
     * most {@value #MAX_WAITING_CHAIN_CHECKS} waiting, so a peer cannot turn a flood of cheap messages into as many
     * RPC calls. Called on the client's executor.
     */
    private void checkOnChain(Peer peer, PeerMessage asked, Runnable lookup) {
        ClientAccount account = account(peer);
        if (account.chainChecks.size() >= MAX_WAITING_CHAIN_CHECKS) {
            throw new TurnpikeException(ErrorCode.TOO_MANY_MESSAGES, "'" + asked.type() + "' needs a chain lookup, "
                    + "and " + MAX_WAITING_CHAIN_CHECKS + " from this peer already wait; send it again once they are answered");
        }
        account.chainChecks.add(lookup);
        if (account.chainChecks.size() == 1) {
            nextChainCheck(peer, account);
        }
    }

    private void nextChainCheck(Peer peer, ClientAccount account) {
        Runnable lookup = account.chainChecks.element();
        background.execute(() -> {
            try {
                lookup.run();
            } finally {
                peer.executor().execute(() -> {
                    account.chainChecks.remove();
                    if (!account.chainChecks.isEmpty()) {
                        nextChainCheck(peer, account);
                    }
                });
            }
        });
    }

    private void quote(Peer peer, PeerMessage.CapacityQuery query) {
        SoldService service = services.get(query.service());
        List<Long> capacities = service == null ? List.of() : service.quote(query.amounts());
        if (capacities.isEmpty()) {
            throw new TurnpikeException(ErrorCode.BAD_ARGUMENT, "this node sells no capacity of '" + query.service()
                    + "' to quote; it sells " + services.keySet());
        }
        peer.send(new PeerMessage.CapacityQuote(query.service(), capacities));
    }

    private void issueSession(Peer peer, SessionRequest request) {
        if (!services.containsKey(request.service())) {
            throw new TurnpikeException(ErrorCode.MALFORMED_MESSAGE,
                    "this node sells " + services.keySet() + ", not '" + request.service() + "'");
        }
        byte[] secret = new byte[24];
        random.nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        ClientAccount account = account(peer);
        if (!account.buys && account.standing == Standing.FREE) {
            // A client learns its tier before it starts: a new key starts at the free one.
            account.peer.send(throttle(Standing.FREE));
        }
        account.buys = true;
        account.sessionTokens.put(request.service(), token);
        peer.send(new SessionToken(request.service(), token));
    }

    /**
     * Verifies a payment against the client's channel and credits it. A refused proof (stale, forged, another
     * channel, more than the deposit covers, a channel no longer open) throws with its code and changes nothing.
     */
    private void credit(Peer peer, PeerConnection connection, Pay pay) {
        ClientAccount account = account(peer);
        long channelId = pay.proof().message().channelId();
        Channel channel = peer.channels().get(channelId).filter(c -> c.role() == Role.B)
                .orElseThrow(() -> new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                        "no channel " + channelId + " from " + peer.address() + " is known; announce it first"));
        try {
            peer.channels().applyInBatch(channelId, new Channel.ReceiveProof(pay.proof()),
                    (written, effects) -> credited(account, written, effects));
        } catch (TurnpikeException refused) {
            Instant now = clock.instant();
            if (refused.code() != ErrorCode.INSUFFICIENT_CAPACITY
                    || now.isBefore(account.depositReadAt.plus(DEPOSIT_REREAD_INTERVAL))) {
                LOG.info("refused a proof from {} on channel {}: [{}] {}", peer.address(), channelId, refused.code(),
                        refused.getMessage());
                throw refused;
            }
            // The client may have deposited more since this node last read the channel: read it again, but not on
            // every such proof, or a peer could make each of its messages cost an RPC round trip.
            account.depositReadAt = now;
            rereadThenCredit(peer, connection, pay, channel);
        }
    }

    private void rereadThenCredit(Peer peer, PeerConnection connection, Pay pay, Channel channel) {
        background.execute(() -> {
            try {
                Channel onChain = chain.incoming(channel.channelId(), peer.address(), Optional.of(channel));
                peer.executor().execute(() -> {
                    try {
                        PeerChannels channels = peer.channels();
                        channels.apply(channel.channelId(), new Channel.TotalsRead(onChain.own(), onChain.partnerSide()));
                        Channel.Transition accepted = channels.apply(channel.channelId(),
                                new Channel.ReceiveProof(pay.proof()));
                        credited(account(peer), accepted.channel(), accepted.effects());
                    } catch (TurnpikeException refused) {
                        peer.refuse(connection, pay, refused);
                    }
                });
            } catch (TurnpikeException refused) {
                peer.executor().execute(() -> peer.refuse(connection, pay, refused));
            } catch (RuntimeException e) {
                LOG.warn("cannot re-read channel {} of {}: {}", channel.channelId(), peer.address(), e.getMessage());
            }
        });
    }

    /**
     * A request the client pays for in the request itself (an HTTP paywall's {@code turnpike-channel} scheme): its
     * proof is checked against the client's channel and, if what it adds with the client's credit covers
     * {@code needed}, taken through the channel's transition and its credit counted as paid in the one debt — held in
     * memory until {@link #bookRequest} writes the proof down with what the request used, in one commit, and
     * acknowledges it with a receipt like any proof. On the client's executor.
     *
     * @param needed what the credit must cover: the request's maximum and whatever the client's other requests in
     *     progress hold
     * @return what the proof added to the channel
     * @throws TurnpikeException the proof's refusal ({@code unknown_channel}, {@code wrong_signer},
     *     {@code stale_proof} …), or {@code payment_insufficient} for a proof that, with the credit, covers less than
     *     {@code needed}; nothing changed
     */
    public Amount creditRequest(Peer peer, long channelId, Signed<BalanceProof> proof, Amount needed) {
        // Made before the proof is taken: a new account reads what was paid from the channels.
        ClientAccount account = account(peer);
        Channel channel = peer.channels().get(channelId).filter(c -> c.role() == Role.B)
                .orElseThrow(() -> new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "no channel " + channelId
                        + " from " + peer.address() + " pays this node"));
        price(account);
        // What it would add is arithmetic on the proof's figures: checked before the transition, which verifies the
        // signature (the costly part) once, while taking it. A proof the transition would refuse anyway (stale,
        // decreasing) is left to it, for its own code.
        BalanceProof offered = proof.message();
        Amount credit = account.debt.credit();
        if (offered.nonce() > channel.receivedNonce() && !offered.transferred().isLessThan(channel.receivedTotal())
                && offered.transferred().minus(channel.receivedTotal()).plus(credit).isLessThan(needed)) {
            throw new TurnpikeException(ErrorCode.PAYMENT_INSUFFICIENT, "the proof adds "
                    + offered.transferred().minus(channel.receivedTotal()) + " to channel " + channelId
                    + " and the credit is " + credit + ", less than the " + needed + " this request may cost; sign "
                    + "one adding at least the difference");
        }
        Amount credited = creditOf(peer.channels().receiveUnwritten(channelId, proof).effects());
        account.debt = account.debt.credited(credited);
        return credited;
    }

    /**
     * Books {@code used} of {@code service} for one request paid in the request itself through channel
     * {@code channelId} ({@link #creditRequest}): the channel's newest proof and the ledger's {@code used} (with the
     * day's earnings) are written in one commit before this returns, then the proof is acknowledged. On the client's
     * executor.
     *
     * @return the client's credit now
     */
    public Amount bookRequest(Peer peer, long channelId, String service, Amount used) {
        ClientAccount account = account(peer);
        Channel written = peer.channels().writeWith(channelId, List.of(ledger.adjustment(ledgerKey(peer.address()),
                LedgerDelta.NONE.withUsed(used.value()), List.of(earning(service, used)))));
        account.usage = account.usage.plus(service, 1, used);
        account.debt = account.debt.meter(used);
        metrics.used(peer.address(), service, 1);
        acknowledge(account, written);
        return account.debt.credit();
    }

    private static Amount creditOf(List<Channel.Effect> effects) {
        return effects.stream().filter(e -> e instanceof Channel.Credited)
                .map(e -> ((Channel.Credited) e).credited()).reduce(Amount.ZERO, Amount::plus);
    }

    /** The proofs are written down: credit them and acknowledge the newest with one cumulative receipt. */
    private void credited(ClientAccount account, Channel written, List<Channel.Effect> effects) {
        Amount credited = creditOf(effects);
        account.debt = account.debt.credited(credited);
        LOG.debug("client {} paid {} on channel {} (nonce {}, {} in total)", account.peer.address(), credited,
                written.channelId(), written.receivedNonce(), written.receivedTotal());
        acknowledge(account, written);
    }

    private void acknowledge(ClientAccount account, Channel written) {
        account.peer.send(new Receipt(written.channelId(), written.receivedNonce(), written.receivedTotal()));
        enforce(account, clock.instant());
    }

    /** A direct transfer is checked on chain in the background, then credited on the client's executor. */
    private void receiveTransfer(Peer peer, PeerConnection connection, Transfer transfer) {
        checkOnChain(peer, transfer, () -> {
            try {
                transfers.received(peer.address(), transfer)
                        .ifPresent(counted -> peer.executor().execute(() -> credit(counted)));
            } catch (TurnpikeException refused) {
                peer.executor().execute(() -> peer.refuse(connection, transfer, refused));
            } catch (RuntimeException e) {
                LOG.warn("cannot check the transfer of {} on chain: {}", peer.address(), e.getMessage());
            }
        });
    }

    /** A direct transfer, already written down, is credited and acknowledged with a statement that counts it. */
    private void credit(ReceivedTransfer transfer) {
        ClientAccount account = clients.get(transfer.peer());
        if (account == null) {
            return; // an account made later reads every credit from the store
        }
        price(account);
        account.debt = account.debt.credited(transfer.amount());
        account.paidOnChain = true;
        Instant now = clock.instant();
        sendStatement(account, now);
        enforce(account, now);
    }

    /**
     * A client reports the usage it metered, as it does on every (re)connection. If it is more than this node
     * metered — this node was killed before it wrote down its last relayed bytes — the client's figure counts;
     * a smaller figure changes nothing, since this node's own meter is what it bills.
     */
    private void adoptReportedUsage(Peer peer, Statement usage) {
        ClientAccount account = account(peer);
        price(account);
        if (usage.used().isGreaterThan(account.debt.used())) {
            Amount missing = usage.used().minus(account.debt.used());
            ledger.adjust(ledgerKey(peer.address()), LedgerDelta.NONE.withUsed(missing.value()));
            account.debt = account.debt.meter(missing);
            LOG.info("client {} reports {} more usage than this node wrote down; counting it", peer.address(), missing);
        }
    }

    // ---------------------------------------------------------------- services, on their threads

    @Override
    public boolean isValid(Address client, String service, String sessionToken) {
        ClientAccount account = clients.get(client);
        String expected = account == null ? null : account.sessionTokens.get(service);
        return expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                sessionToken.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void used(Address client, String service, long units) {
        ClientAccount account = clients.get(client);
        if (account != null && services.containsKey(service)) {
            account.unpriced.computeIfAbsent(service, s -> new AtomicLong()).addAndGet(units);
            metrics.used(client, service, units);
        }
    }

    @Override
    public void used(Address client, String service, long units, Amount pricePerUnit) {
        ClientAccount account = clients.get(client);
        if (account != null && services.containsKey(service)) {
            account.priced.computeIfAbsent(new PricedUse(service, pricePerUnit), s -> new AtomicLong()).addAndGet(units);
            metrics.used(client, service, units);
        }
    }

    /** A service's price moved: every client is offered the new terms. */
    public void reoffer() {
        Offer offer = offer();
        clients.values().forEach(account -> account.peer.executor().execute(() -> account.peer.send(offer)));
    }

    // ---------------------------------------------------------------- periodic

    /** Prices what was relayed, applies the enforcement rules and sends statements that are due, per client. */
    public void tick() {
        background.execute(() -> {
            try {
                // Held transfers are checked against the chain here, never on a client's executor.
                transfers.recheck().forEach(counted -> peers.of(counted.peer()).executor().execute(() -> credit(counted)));
            } catch (RuntimeException e) {
                LOG.warn("crediting held transfers failed: {}", e.getMessage());
            }
        });
        for (ClientAccount account : clients.values()) {
            account.peer.executor().execute(() -> {
                try {
                    Instant now = clock.instant();
                    price(account);
                    enforce(account, now);
                    statement(account, now);
                    forgetIfIdle(account, now);
                } catch (RuntimeException e) {
                    LOG.warn("accounting for {} failed: {}", account.peer.address(), e.getMessage());
                }
            });
        }
    }

    /** Prices what each service reported since the last time, into the one debt and its itemisation. */
    private void price(ClientAccount account) {
        Map<String, Amount> byService = new TreeMap<>();
        for (Map.Entry<String, AtomicLong> unpriced : account.unpriced.entrySet()) {
            byService.merge(unpriced.getKey(), itemise(account, unpriced.getKey(), unpriced.getValue().getAndSet(0),
                    services.get(unpriced.getKey()).pricePerUnit()), Amount::plus);
        }
        for (Map.Entry<PricedUse, AtomicLong> priced : account.priced.entrySet()) {
            byService.merge(priced.getKey().service(), itemise(account, priced.getKey().service(),
                    priced.getValue().getAndSet(0), priced.getKey().pricePerUnit()), Amount::plus);
        }
        Amount total = byService.values().stream().reduce(Amount.ZERO, Amount::plus);
        if (!total.isZero()) {
            ledger.adjust(ledgerKey(account.peer.address()), LedgerDelta.NONE.withUsed(total.value()),
                    byService.entrySet().stream().filter(e -> !e.getValue().isZero())
                            .map(e -> earning(e.getKey(), e.getValue())).toList());
            account.debt = account.debt.meter(total);
        }
    }

    /** What a client used of {@code service} today (UTC), towards the earnings over time (GET /api/earnings). */
    private DailyEarning earning(String service, Amount used) {
        return new DailyEarning(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), service, asset.token(), used);
    }

    /** {@code units} of {@code service} at {@code pricePerUnit}, into the client's itemised usage; returns the cost. */
    private static Amount itemise(ClientAccount account, String service, long units, Amount pricePerUnit) {
        if (units == 0) {
            return Amount.ZERO;
        }
        Amount cost = pricePerUnit.times(units);
        account.usage = account.usage.plus(service, units, cost);
        return cost;
    }

    /**
     * The client's standing: free until it has staked something (an open channel holding at least
     * {@code min-deposit}, or a payment confirmed on chain), free once its debt passes the limit (until it is back
     * under the threshold), and free while the channel it paid through is no longer open and no other is — a proof
     * on it could never be redeemed.
     */
    private void enforce(ClientAccount account, Instant now) {
        account.debt = enforcement.apply(account.debt, settings.paymentThreshold(), now, chainFresh.getAsBoolean());
        PeerChannels channels = account.peer.channels();
        Optional<Channel> open = channels.open(Role.B);
        Amount prepaid = open.map(Channel::partnerSpendable).orElse(Amount.ZERO);
        services.values().forEach(service -> service.prepaid(account.peer.address(), prepaid));
        boolean channelGone = channels.any(Role.B) && open.isEmpty();
        boolean staked = account.paidOnChain || open.map(c -> !c.partnerSide().deposit()
                .isLessThan(settings.admission().minDeposit())).orElse(false);
        Standing standing = !staked || account.debt.throttled() || channelGone ? Standing.FREE : Standing.PAID;
        if (standing == account.standing) {
            return;
        }
        account.standing = standing;
        services.values().forEach(service -> service.standing(account.peer.address(), standing));
        LOG.info("client {} {}", account.peer.address(), standing == Standing.PAID ? "served at full speed"
                : channelGone ? "served at the free tier: its channel is no longer open"
                : !staked ? "served at the free tier until it opens a channel holding at least "
                        + settings.admission().minDeposit() + " or pays on chain"
                : "served at the free tier: its debt is past the limit");
        if (account.buys) {
            account.peer.send(throttle(standing));
        }
    }

    private Throttle throttle(Standing standing) {
        return new Throttle(standing.wireName(), standing == Standing.FREE ? freeRate() : 0);
    }

    /**
     * A client away for {@code forget-idle-after} that owes nothing, is served by no service (its relay connections
     * still count what they carry) and waits for no chain lookup is dropped from memory, with its services' state,
     * its peer and its metric series: fresh keys cannot pile up state. What it used and paid stays in the ledger and
     * its channels in the store; {@link #account} reads them back if it returns. On the client's executor.
     */
    private void forgetIfIdle(ClientAccount account, Instant now) {
        Address client = account.peer.address();
        if (account.disconnectedAt == null || account.peer.isConnected() || !account.chainChecks.isEmpty()
                || !account.debt.debt().isZero() || services.values().stream().anyMatch(s -> s.serves(client))
                || now.isBefore(account.disconnectedAt.plus(settings.admission().forgetIdleAfter()))
                || !peers.forget(client)) {
            return;
        }
        clients.remove(client);
        services.values().forEach(service -> service.forget(client));
        metrics.forget(client);
        LOG.debug("forgot idle client {}; its books stay in the store", client);
    }

    private void statement(ClientAccount account, Instant now) {
        if (!now.isBefore(account.lastStatementAt.plus(settings.statementInterval()))) {
            sendStatement(account, now);
        }
    }

    private void sendStatement(ClientAccount account, Instant now) {
        if (!account.peer.isConnected()) {
            return;
        }
        account.lastStatementAt = now;
        account.peer.send(new Statement(account.debt.used(), account.debt.paid(), account.debt.debt(),
                account.usage.items().stream().map(i -> new Statement.ServiceUsage(i.service(), i.units(), i.cost()))
                        .toList()));
    }

    // ---------------------------------------------------------------- views

    public boolean serves(Address peer) {
        return clients.containsKey(peer);
    }

    public List<PeerView> views() {
        return clients.values().stream().map(account -> account.peer.await(() -> {
            ClientDebt d = account.debt;
            return new PeerView(account.peer.address(), account.peer.isConnected(), "client",
                    account.standing.wireName(), d.used(), d.paid(), d.debt(), d.credit(), Amount.ZERO,
                    account.peer.channels().open(Role.B).map(Channel::channelId));
        })).toList();
    }

    /** The client's account, made on first contact with what the store knows of it; on its executor. */
    private ClientAccount account(Peer peer) {
        return clients.computeIfAbsent(peer.address(), client -> {
            Instant now = clock.instant();
            LedgerBalance books = ledger.get(ledgerKey(client));
            Amount used = books.used();
            // The ledger's own paid is what the paywall's exact settlements brought, each booked used and paid.
            Amount paidOnChain = transfers.creditedTotal(client).plus(books.paid());
            Amount paid = peer.channels().all().stream().filter(c -> c.role() == Role.B).map(Channel::earned)
                    .reduce(Amount.ZERO, Amount::plus).plus(paidOnChain);
            ClientAccount account = new ClientAccount(peer, new ClientDebt(used, paid, Amount.ZERO, now, false), now);
            account.paidOnChain = !paidOnChain.isZero();
            return account;
        });
    }

    private LedgerKey ledgerKey(Address client) {
        return new LedgerKey(client, asset.token(), Debtor.PEER);
    }
}
