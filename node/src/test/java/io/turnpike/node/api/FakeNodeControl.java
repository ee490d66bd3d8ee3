package io.turnpike.node.api;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.market.ProviderHistory;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.control.EarningsView;
import io.turnpike.node.control.FeeEstimates;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.ProviderPin;
import io.turnpike.node.control.ProviderView;
import io.turnpike.node.control.ProvidersView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.control.ServiceView;
import io.turnpike.node.control.ServicesView;
import io.turnpike.node.control.SubscriptionPurchase;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.control.TransactionView;
import io.turnpike.node.control.WalletView;
import io.turnpike.node.metrics.MicrometerMetrics;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.tower.TowerHoldings;
import io.turnpike.node.wallet.Wallet.Balance;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * A node that answers with fixed figures and records every call, so a test sees exactly what the API asked of it
 * (and that a refused request asked nothing). The real node is proven end to end with the daemon.
 */
public final class FakeNodeControl implements NodeControl {

    public static final Address SELF = Address.of("0x03b5D811d9185b0B7C615e667f2B894032FFf6FB");
    public static final Address PROVIDER = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    public static final Address CLIENT = Address.of("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    public static final Address CONTRACT = Address.of("0x5FbDB2315678afecb367f032d93F642f64180aa3");
    /** In the market, not configured, out of reach. */
    public static final Address SECOND_PROVIDER = Address.of("0x90F79bf6EB2c4f870365E785982E1f101E93b906");
    /** Configured, not registered, not connected, with misbehaviour on record. */
    public static final Address THIRD_PROVIDER = Address.of("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65");
    /** What the node chooses for each service it buys, with nothing pinned. */
    public static final Map<String, Optional<Address>> CHOSEN = Map.of("bandwidth", Optional.of(PROVIDER),
            "rpc", Optional.of(PROVIDER));
    /** 0.0042 ETH. */
    public static final Amount OWED = Amount.of(4_200_000_000_000_000L);
    public static final Instant SETTLE_AT = Instant.parse("2026-11-21T09:00:00Z");
    public static final Asset USDC = Asset.erc20("USDC", Address.of("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), 6);

    /** Real metrics, with the events a short session of paying the provider would have recorded. */
    private final MicrometerMetrics metrics = new MicrometerMetrics("0.1.0-SNAPSHOT", "ETH");

    {
        metrics.paid(PROVIDER, Amount.of(6_000_000_000_000_000L));
        metrics.paid(PROVIDER, Amount.of(4_000_000_000_000_000L));
        metrics.acknowledged(java.time.Duration.ofMillis(2));
        metrics.acknowledged(java.time.Duration.ofMillis(3));
        metrics.answered("http://127.0.0.1:8545", 2_000_000);
    }

    /** One call: the method's name and its arguments. */
    public record Call(String method, List<Object> arguments) {
    }

    private final List<Call> calls = new ArrayList<>();
    /** The services the operator pinned through {@link #pinProvider}, over {@link #CHOSEN}. */
    private final Map<String, Address> pins = new TreeMap<>();
    private List<PeerView> peers = List.of(
            new PeerView(PROVIDER, true, "provider", "paid", Amount.of(14_200_000_000_000_000L),
                    Amount.of(10_000_000_000_000_000L), OWED, Amount.ZERO, Amount.ZERO, Optional.of(3L)),
            new PeerView(CLIENT, false, "client", "free", Amount.of(1), Amount.ZERO, Amount.of(1), Amount.ZERO,
                    Amount.ZERO, Optional.empty()));
    private Amount payNowPays = OWED;
    /** The transactions shown as in flight; a test moves them on with {@link #withTransactions}. */
    private List<TransactionView> transactions = List.of();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private RuntimeException failure;
    private String failingMethod;

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> methodsCalled() {
        return calls.stream().map(Call::method).toList();
    }

    /** Forgets the calls recorded so far: a fuzz campaign's millions would otherwise fill the heap. */
    public synchronized void forgetCalls() {
        calls.clear();
    }

    /** Every later call throws {@code e}, as a node that refuses. */
    public synchronized FakeNodeControl failWith(RuntimeException e) {
        failingMethod = null;
        failure = e;
        return this;
    }

    /** Every later call of {@code method} throws {@code e}, as a node that refuses that one request. */
    public synchronized FakeNodeControl failWith(String method, RuntimeException e) {
        failingMethod = method;
        failure = e;
        return this;
    }

    public synchronized FakeNodeControl withPeers(List<PeerView> shown) {
        peers = List.copyOf(shown);
        return this;
    }

    /** What {@link #transactions} shows from now on: a test moves a transaction from 0/4 to 4/4, then clears it. */
    public synchronized FakeNodeControl withTransactions(List<TransactionView> shown) {
        transactions = List.copyOf(shown);
        return this;
    }

    /** A top-up of channel 3 with {@code confirmations} of the 4 it needs. */
    public static TransactionView confirmingDeposit(int confirmations) {
        return new TransactionView("deposit", Optional.of(3L),
                Bytes32.fromHex("0x" + "5d".repeat(32)), confirmations == 0 ? "PENDING" : "MINED", confirmations, 4,
                Amount.of(2_000_000_000L));
    }

    /** What {@link #payNow} pays: more than the preview when the debt grew in between. */
    public synchronized FakeNodeControl payingNow(Amount amount) {
        payNowPays = amount;
        return this;
    }

    @Override
    public synchronized NodeStatus status() {
        record("status");
        return new NodeStatus(SELF, 31337, CONTRACT, 1234, false, Asset.ETH, List.of("bandwidth"), 1080, null, 8646);
    }

    @Override
    public synchronized List<PeerView> peers() {
        record("peers");
        return peers;
    }

    @Override
    public synchronized List<ChannelView> channels() {
        record("channels");
        return List.of(openChannel3(), new ChannelView(2, CLIENT, Address.ZERO, "CLOSED", Amount.ZERO,
                Amount.of(50_000_000_000_000_000L), Amount.ZERO, Amount.of(1), Amount.ZERO, Optional.of(SETTLE_AT)));
    }

    /** 2.75 ETH and 1,234.5 USDC in the wallet; the open channel 3 holds 0.49 ETH of this node's. */
    @Override
    public synchronized WalletView wallet() {
        record("wallet");
        return new WalletView(SELF, Asset.ETH, List.of(new Balance(Asset.ETH, Amount.of(2_750_000_000_000_000_000L)),
                new Balance(USDC, Amount.of(1_234_500_000L))), openChannel3().spendable(),
                Amount.of(10_000_000_000_000_000L));
    }

    /** Sells bandwidth and JSON-RPC (the client is served at a paid seat); buys both from the provider. */
    @Override
    public synchronized ServicesView services() {
        record("services");
        return new ServicesView(List.of(new ServiceView(SELF, "bandwidth", "byte", Amount.of(10_000)),
                new ServiceView(SELF, "rpc", "cost_unit", Amount.of(110_000_000))),
                Optional.of(Amount.of(10_000_000_000_000L)),
                List.of(new ServiceView(PROVIDER, "bandwidth", "byte", Amount.of(20_000)),
                        new ServiceView(PROVIDER, "rpc", "cost_unit", Amount.of(100_000_000))),
                List.of(new RpcClientView(CLIENT, "paid", 1_000, 9_740, 10_000, Amount.of(110_000_000), 2)));
    }

    @Override
    public synchronized List<RefusalView> refusals() {
        record("refusals");
        return List.of(new RefusalView(Instant.parse("2026-11-21T08:59:30Z"), CLIENT, "stale_proof"),
                new RefusalView(Instant.parse("2026-11-21T08:58:10Z"), CLIENT, "invalid_signature"));
    }

    /** One subscription running, one in its last week. */
    @Override
    public synchronized List<SubscriptionView> subscriptions() {
        record("subscriptions");
        return List.of(new SubscriptionView(PROVIDER, 1, Instant.parse("2026-11-25T09:00:00Z"), "ending",
                        "turnpike subscribe " + PROVIDER + " --plan 1 --months N"),
                new SubscriptionView(CLIENT, 2, Instant.parse("2027-02-19T09:00:00Z"), "running",
                        "turnpike subscribe " + CLIENT + " --plan 2 --months N"));
    }

    /**
     * The provider, configured and registered, chosen for both services; a second one in the market that does not
     * answer its probe; a third configured but not registered, with misbehaviour on record. The scores are the ones
     * ProviderScore gives them (docs/operating.md works the first two out).
     */
    @Override
    public synchronized ProvidersView providers() {
        record("providers");
        return providersView();
    }

    @Override
    public synchronized ProviderPin pinProvider(String service, Optional<Address> provider) {
        record("pinProvider", service, provider);
        if (!CHOSEN.containsKey(service)) {
            throw new ControlException(ErrorCode.UNKNOWN_SERVICE, "this node buys no service '" + service
                    + "'; it buys " + String.join(" and ", CHOSEN.keySet()) + ".");
        }
        if (provider.isPresent()) {
            pins.put(service, provider.get());
        } else {
            pins.remove(service);
        }
        return new ProviderPin(service, provider, providersView().chosen().get(service));
    }

    private ProvidersView providersView() {
        SortedMap<String, Optional<Address>> chosen = new TreeMap<>(CHOSEN);
        // A pinned provider takes new traffic only while it is connected, and only the first one is.
        pins.forEach((service, provider) -> chosen.put(service, Optional.of(provider).filter(PROVIDER::equals)));
        return new ProvidersView(List.of(
                new ProviderView(PROVIDER, Optional.of("ws://127.0.0.1:8645"), true, true, true,
                        List.of(new ProviderView.Service("bandwidth", "byte", Amount.of(20_000)),
                                new ProviderView.Service("rpc", "cost_unit", Amount.of(100_000_000))),
                        List.of(new ProviderView.Plan(1, Address.ZERO, Amount.of(10_000_000_000_000_000L), 2_592_000,
                                Optional.of(Amount.of(10_000_000_000_000_000L)))),
                        Optional.of(Amount.of(1_000_000_000_000_000_000L)), Optional.of(12L),
                        new ProviderHistory(0, 0, 2), 660, chosenFor(chosen, PROVIDER)),
                new ProviderView(SECOND_PROVIDER, Optional.of("ws://provider-b.example:8645"), false, true, false,
                        List.of(new ProviderView.Service("bandwidth", "byte", Amount.of(25_000))), List.of(),
                        Optional.of(Amount.of(500_000_000_000_000_000L)), Optional.empty(), ProviderHistory.CLEAN, 483,
                        chosenFor(chosen, SECOND_PROVIDER)),
                new ProviderView(THIRD_PROVIDER, Optional.of("ws://127.0.0.1:9645"), true, false, false,
                        List.of(new ProviderView.Service("rpc", "cost_unit", Amount.of(90_000_000))), List.of(),
                        Optional.empty(), Optional.empty(), new ProviderHistory(1, 1, 0), 200,
                        chosenFor(chosen, THIRD_PROVIDER))), chosen);
    }

    private static List<String> chosenFor(Map<String, Optional<Address>> chosen, Address provider) {
        return chosen.entrySet().stream().filter(e -> e.getValue().equals(Optional.of(provider))).map(Map.Entry::getKey)
                .toList();
    }

    /** Plan 1 of the provider: 0.01 ETH a month; the quote counts on from the running subscription's expiry. */
    public static final Amount MONTHLY = Amount.of(10_000_000_000_000_000L);
    public static final Instant SUBSCRIPTION_ENDS = Instant.parse("2026-11-25T09:00:00Z");
    public static final Address TOWER = Address.of("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc");

    @Override
    public synchronized SubscriptionPurchase quoteSubscription(Address provider, long planId, long months) {
        record("quoteSubscription", provider, planId, months);
        return purchase(provider, planId, months, Optional.empty());
    }

    @Override
    public synchronized SubscriptionPurchase subscribe(Address provider, long planId, long months) {
        record("subscribe", provider, planId, months);
        return purchase(provider, planId, months, Optional.of(Bytes32.fromHex("0x" + "ab".repeat(32))));
    }

    private static SubscriptionPurchase purchase(Address provider, long planId, long months,
                                                 Optional<Bytes32> transaction) {
        return new SubscriptionPurchase(provider, planId, months, Asset.ETH, MONTHLY.times(months),
                SUBSCRIPTION_ENDS.plus(java.time.Duration.ofDays(30 * months)), transaction);
    }

    /** Bandwidth earned on three days of the month, RPC on two: 0.003 ETH on 2026-11-20 in all. */
    @Override
    public synchronized EarningsView earnings() {
        record("earnings");
        LocalDate today = LocalDate.of(2026, 11, 21);
        return new EarningsView(today.minusDays(EarningsView.DAYS - 1L), today, List.of(
                new EarningsView.Day(today.minusDays(2), "bandwidth", Amount.of(1_000_000_000_000_000L)),
                new EarningsView.Day(today.minusDays(1), "bandwidth", Amount.of(2_000_000_000_000_000L)),
                new EarningsView.Day(today.minusDays(1), "rpc", Amount.of(1_000_000_000_000_000L)),
                new EarningsView.Day(today, "bandwidth", Amount.of(500_000_000_000_000L)),
                new EarningsView.Day(today, "rpc", Amount.of(250_000_000_000_000L))));
    }

    @Override
    public synchronized List<TransactionView> transactions() {
        record("transactions");
        return transactions;
    }

    /** One tower, holding channel 2's proof at nonce 7; its last upload failed. */
    @Override
    public synchronized List<TowerHoldings> towers() {
        record("towers");
        return List.of(new TowerHoldings(new NodeConfig.Tower(java.net.URI.create("http://127.0.0.1:8700"), TOWER,
                Amount.of(1_000_000_000_000_000L)), new java.util.TreeMap<>(java.util.Map.of(2L, 7L)),
                new java.util.TreeMap<>(java.util.Map.of(2L, Instant.parse("2026-11-21T08:55:00Z"))),
                Optional.of(new TowerHoldings.Failure(Instant.parse("2026-11-21T08:59:00Z"),
                        "unreachable: Connection refused"))));
    }

    @Override
    public synchronized ChannelView openChannel(Address partner, Amount deposit, boolean force) {
        record("openChannel", partner, deposit, force);
        return new ChannelView(4, partner, Address.ZERO, "OPEN", deposit, Amount.ZERO, Amount.ZERO, Amount.ZERO, deposit,
                Optional.empty());
    }

    /** Fees at 2 gwei per gas: an ether open at most 145,000 × 2 gwei = 0.00029 ETH. */
    @Override
    public synchronized FeeEstimates fees() {
        record("fees");
        return FeeEstimates.at(Amount.of(2_000_000_000L), false);
    }

    @Override
    public synchronized ChannelView closeChannel(long channelId, boolean force) {
        record("closeChannel", channelId, force);
        ChannelView open = openChannel3();
        return new ChannelView(channelId, open.partner(), open.token(), "CLOSED", open.ownDeposit(),
                open.partnerDeposit(), open.sent(), open.received(), Amount.ZERO, Optional.of(SETTLE_AT));
    }

    /**
     * Deposits and withdrawals answer only once {@code gate} completes, as a node waiting for the chain does; the
     * other calls go on meanwhile (the dashboard reads the transactions while it waits).
     */
    public FakeNodeControl holdingChannelChangesUntil(CompletableFuture<Void> gate) {
        this.gate = gate;
        return this;
    }

    @Override
    public ChannelView depositChannel(long channelId, Amount more) {
        gate.join();
        return deposited(channelId, more);
    }

    private synchronized ChannelView deposited(long channelId, Amount more) {
        record("depositChannel", channelId, more);
        ChannelView open = openChannel3();
        return new ChannelView(channelId, open.partner(), open.token(), "OPEN", open.ownDeposit().plus(more),
                open.partnerDeposit(), open.sent(), open.received(), open.spendable().plus(more), Optional.empty());
    }

    @Override
    public ChannelView withdrawChannel(long channelId, Amount amount) {
        gate.join();
        return withdrawn(channelId, amount);
    }

    private synchronized ChannelView withdrawn(long channelId, Amount amount) {
        record("withdrawChannel", channelId, amount);
        ChannelView open = openChannel3();
        return new ChannelView(channelId, open.partner(), open.token(), "OPEN", open.ownDeposit(),
                open.partnerDeposit(), open.sent(), open.received(), open.spendable().minus(amount), Optional.empty());
    }

    @Override
    public synchronized PaymentPreview previewPayment(Address peer) {
        record("previewPayment", peer);
        return new PaymentPreview(peer, OWED, Asset.ETH, 3);
    }

    @Override
    public synchronized PaymentResult payNow(Address peer) {
        record("payNow", peer);
        return new PaymentResult(peer, payNowPays, Asset.ETH, 3, 57, Amount.of(10_000_000_000_000_000L).plus(payNowPays),
                Amount.ZERO);
    }

    @Override
    public synchronized String metrics() {
        record("metrics");
        return metrics.scrape(status(), peers(), channels());
    }

    /** Answers every request with a small JSON body, paid 1000 through channel 3 to the provider. */
    @Override
    public synchronized PaywallClient.Answer fetchPaying(HttpFetch fetch) {
        record("fetchPaying", fetch);
        return new PaywallClient.Answer(200, Optional.of("application/json"),
                "{\"quote\":\"42\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                Optional.of(new PaywallClient.Receipt("turnpike-channel", Amount.of(1000), PROVIDER, Optional.empty(),
                        Optional.of(3L))));
    }

    private static ChannelView openChannel3() {
        return new ChannelView(3, PROVIDER, Address.ZERO, "OPEN", Amount.of(500_000_000_000_000_000L), Amount.ZERO,
                Amount.of(10_000_000_000_000_000L), Amount.ZERO, Amount.of(490_000_000_000_000_000L), Optional.empty());
    }

    private void record(String method, Object... arguments) {
        calls.add(new Call(method, List.of(arguments)));
        if (failure != null && (failingMethod == null || failingMethod.equals(method))) {
            throw failure;
        }
    }
}
