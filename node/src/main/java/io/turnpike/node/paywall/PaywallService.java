package io.turnpike.node.paywall;

import io.turnpike.chain.Chain;
import io.turnpike.chain.tx.TransactionManager;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.service.Standing;
import io.turnpike.node.ListeningPort;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.provider.Provider;
import io.turnpike.node.service.SoldService;
import io.turnpike.paywall.ChannelCredits;
import io.turnpike.paywall.ExactScheme;
import io.turnpike.paywall.Facilitator;
import io.turnpike.paywall.PaywallConfig;
import io.turnpike.paywall.PaywallProxy;
import io.turnpike.store.PaywallStore;
import io.turnpike.store.Store;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The paywall as a {@link SoldService} ({@code turnpike.provider.services.paywall}): the proxy on its own port, paid
 * in the node's asset to the node's address; {@code exact} settled by the node's own transaction manager from its
 * wallet, {@code turnpike-channel} credited against the node's channels into the client's one debt ({@link
 * NodeChannelCredits}); and, if enabled, x402's facilitator API on a port of its own, settling the same way. Each
 * request pays for itself, so a client's standing changes nothing here.
 */
public final class PaywallService implements SoldService, AutoCloseable {

    public static final String NAME = "paywall";

    private final NodeConfig.Paywall settings;
    private volatile PaywallProxy proxy;
    private volatile Optional<Facilitator> facilitator = Optional.empty();
    private volatile Optional<NodeChannelCredits> channelCredits = Optional.empty();

    public PaywallService(NodeConfig.Paywall settings) {
        this.settings = settings;
    }

    /**
     * Starts the paywall, then the facilitator if configured.
     *
     * @param asset the node's asset, the token the paywall is paid in
     * @param channels this node's channel contract, whose channels pay {@code turnpike-channel}
     * @throws io.turnpike.core.TurnpikeException {@code port_in_use} or {@code cannot_listen} naming the setting
     */
    public void start(Asset asset, Eip712Domain channels, Chain chain, TransactionManager settler, Store store,
                      Peers peers, Provider provider, Clock clock) {
        PaywallConfig config = new PaywallConfig(chain.chainId(), settler.address(),
                new PaywallConfig.Token(asset.token(), settings.tokenName(), settings.tokenVersion()),
                settings.routes(), settings.channelScheme() ? Optional.of(channels.verifyingContract())
                : Optional.empty(), settings.maxTimeoutSeconds(), settings.limits());
        ExactScheme exact = new ExactScheme(chain, settler, PaywallStore.of(store, clock), clock);
        channelCredits = settings.channelScheme()
                ? Optional.of(new NodeChannelCredits(peers, provider, channels)) : Optional.empty();
        Optional<ChannelCredits> credits = channelCredits.map(ChannelCredits.class::cast);
        NodeConfig.Endpoint listen = settings.listen();
        PaywallProxy started = new ListeningPort("turnpike.provider.services.paywall.port", listen.bind(),
                listen.port()).start(() -> PaywallProxy.start(new InetSocketAddress(listen.bind(), listen.port()),
                        config, exact, credits));
        try {
            facilitator = settings.facilitator().map(at ->
                    new ListeningPort("turnpike.provider.services.paywall.facilitator.port", at.bind(), at.port())
                            .start(() -> Facilitator.start(new InetSocketAddress(at.bind(), at.port()), List.of(exact),
                                    settings.limits().http())));
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        proxy = started;
    }

    public int port() {
        return proxy.port();
    }

    /** The facilitator API's port, when it runs. */
    public Optional<Integer> facilitatorPort() {
        return facilitator.map(Facilitator::port);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String unit() {
        return "request";
    }

    /** The cheapest route's price: the offer's "from"; each path's own is in its 402. */
    @Override
    public Amount pricePerUnit() {
        return settings.routes().stream().map(PaywallConfig.Route::price).reduce(Amount::min).orElseThrow();
    }

    @Override
    public long freeRate() {
        return 0;
    }

    /**
     * A client with a channel-paid request in progress is served: its proof is taken but written down only with what
     * the request cost, and the peer holding it must not be forgotten meanwhile.
     */
    @Override
    public boolean serves(Address client) {
        return channelCredits.map(credits -> credits.holds(client)).orElse(false);
    }

    @Override
    public void standing(Address client, Standing standing) {
        // Every request is paid before it is served: there is no debt to hold a client to.
    }

    @Override
    public void close() {
        facilitator.ifPresent(Facilitator::close);
        if (proxy != null) {
            proxy.close();
        }
    }
}
