package io.turnpike.node.api;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.node.control.ChannelView;
import io.turnpike.node.control.HttpFetch;
import io.turnpike.node.control.NodeControl;
import io.turnpike.node.control.NodeStatus;
import io.turnpike.node.control.PaymentPreview;
import io.turnpike.node.control.PaymentResult;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.control.RefusalView;
import io.turnpike.node.control.RpcClientView;
import io.turnpike.node.control.ServiceView;
import io.turnpike.node.control.ServicesView;
import io.turnpike.node.control.SubscriptionView;
import io.turnpike.node.control.WalletView;
import io.turnpike.node.metrics.MicrometerMetrics;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.node.wallet.Wallet.Balance;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A node that answers with fixed figures and records every call, so a test sees exactly what the API asked of it
 * (and that a refused request asked nothing). The real node is proven end to end with the daemon.
 */
public final class FakeNodeControl implements NodeControl {

    public static final Address SELF = Address.of("0x03b5D811d9185b0B7C615e667f2B894032FFf6FB");
    public static final Address PROVIDER = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    public static final Address CLIENT = Address.of("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
    public static final Address CONTRACT = Address.of("0x5FbDB2315678afecb367f032d93F642f64180aa3");
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
    private List<PeerView> peers = List.of(
            new PeerView(PROVIDER, true, "provider", "paid", Amount.of(14_200_000_000_000_000L),
                    Amount.of(10_000_000_000_000_000L), OWED, Amount.ZERO, Amount.ZERO, Optional.of(3L)),
            new PeerView(CLIENT, false, "client", "free", Amount.of(1), Amount.ZERO, Amount.of(1), Amount.ZERO,
                    Amount.ZERO, Optional.empty()));
    private Amount payNowPays = OWED;
    private RuntimeException failure;
    private String failingMethod;

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    public synchronized List<String> methodsCalled() {
        return calls.stream().map(Call::method).toList();
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
                List.of(new RpcClientView(CLIENT, "paid", 1_000, 9_740, 10_000, Amount.of(110_000_000))));
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

    @Override
    public synchronized ChannelView openChannel(Address partner, Amount deposit) {
        record("openChannel", partner, deposit);
        return new ChannelView(4, partner, Address.ZERO, "OPEN", deposit, Amount.ZERO, Amount.ZERO, Amount.ZERO, deposit,
                Optional.empty());
    }

    @Override
    public synchronized ChannelView closeChannel(long channelId, boolean force) {
        record("closeChannel", channelId, force);
        ChannelView open = openChannel3();
        return new ChannelView(channelId, open.partner(), open.token(), "CLOSED", open.ownDeposit(),
                open.partnerDeposit(), open.sent(), open.received(), Amount.ZERO, Optional.of(SETTLE_AT));
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
