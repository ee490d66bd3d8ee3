package io.turnpike.node.config;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.paywall.PaywallConfig;
import io.turnpike.rpc.FrontSettings;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting a node reads, typed and checked once at start ({@link ConfigLoader}); the rest of the node
 * never sees a config library. reference.conf documents each one.
 */
public record NodeConfig(Chain chain, List<Asset> tokens, Wallet wallet, Store store, Endpoint api,
                         boolean apiAllowRemote, Endpoint peer, PeerConnections peerConnections, Asset asset,
                         Provider provider, Client client,
                         Watchtowers watchtowers) {

    public NodeConfig {
        tokens = List.copyOf(tokens);
    }

    /**
     * @param contract empty until the operator sets turnpike.chain.contract
     * @param market the TurnpikeMarket registry, if the operator names one
     */
    public record Chain(long id, List<String> rpcUrls, Optional<Address> contract, int confirmations,
                        Duration staleAfter, Duration pollInterval, long watchFromBlock, Optional<Address> market) {

        public Chain {
            rpcUrls = List.copyOf(rpcUrls);
        }
    }

    public record Wallet(Amount lowBalance) {
    }

    /** @param jdbcUrl empty: SQLite in the data directory */
    public record Store(Optional<String> jdbcUrl, Optional<String> user, Optional<String> password) {

        /** Leaves the password out, so a config can be printed. */
        @Override
        public String toString() {
            return "Store[jdbcUrl=" + jdbcUrl.map(NodeConfig::withoutCredentials).orElse("(SQLite in the data directory)")
                    + ", user=" + user.orElse("") + ", password=" + (password.isPresent() ? "(set)" : "") + "]";
        }
    }

    public record Endpoint(String bind, int port) {
    }

    /** Peer connections held at once, in all and from one IP address. */
    public record PeerConnections(int max, int maxPerAddress) {
    }

    /**
     * Selling services: the terms every service shares (one debt per client, whatever it buys), and each service's
     * own; amounts in the asset's smallest unit.
     */
    public record Provider(boolean enabled, Amount paymentThreshold, Amount refreshRate, Duration statementInterval,
                           Bandwidth bandwidth, Rpc rpc, Optional<Paywall> paywall, Optional<Mailbox> mailbox,
                           Admission admission) {

        /** Selling no mailbox, and taking any channel as a client's stake. */
        public Provider(boolean enabled, Amount paymentThreshold, Amount refreshRate, Duration statementInterval,
                        Bandwidth bandwidth, Rpc rpc, Optional<Paywall> paywall) {
            this(enabled, paymentThreshold, refreshRate, statementInterval, bandwidth, rpc, paywall, Optional.empty(),
                    new Admission(Amount.ZERO, Duration.ofMinutes(10)));
        }
    }

    /**
     * Which clients are served on credit, and how long an idle one is remembered.
     *
     * @param minDeposit what a client's open channel to this node must hold for the client to be served at full
     *     speed on credit. A client with no such channel and no payment confirmed on chain is served at the free tier
     *     only: a fresh key costs nothing, so credit waits for something that does
     * @param forgetIdleAfter how long a disconnected client that owes nothing is kept in memory; then its state and
     *     metric series are freed (its ledger and channels stay in the store and come back with it)
     */
    public record Admission(Amount minDeposit, Duration forgetIdleAfter) {
    }

    /**
     * The mailbox service (docs/mailbox.md): offline inboxes for subscribers of this node's plans in the market, for
     * clients paying per stored byte over their channel, or for everyone in free mode.
     *
     * @param listen where senders and owners reach the mailbox API
     * @param pricePerByte what one stored envelope byte costs a client paying over its channel; zero: not sold so
     * @param sweepInterval how often retention is applied and mailboxes past their grace period erased
     */
    public record Mailbox(Endpoint listen, io.turnpike.mailbox.MailboxConfig settings, Amount pricePerByte,
                          Duration sweepInterval) {
    }

    /**
     * The bandwidth service: a metered SOCKS5 relay, priced per byte both ways.
     *
     * @param freeTierTotalRate what all clients at the free tier together may relay per second, however many keys
     *     they come with
     */
    public record Bandwidth(boolean enabled, Endpoint relay, Amount pricePerByte, long freeTierRate,
                            long freeTierTotalRate, boolean allowPrivateTargets) {
    }

    /**
     * The rpc service: a JSON-RPC front before the operator's own nodes, priced per cost unit of its table.
     *
     * @param front where clients' entries reach it
     */
    public record Rpc(boolean enabled, Endpoint front, Amount pricePerUnit, FrontSettings settings) {
    }

    /**
     * The paywall service (docs/paywall.md): HTTP 402 before the operator's own HTTP backends, each request priced in
     * the node's asset, an EIP-3009 token.
     *
     * @param listen where any HTTP client reaches it
     * @param tokenName the token's EIP-712 domain name, which payers sign {@code exact} payments in ("USD Coin")
     * @param tokenVersion … and version ("2")
     * @param channelScheme whether {@code turnpike-channel} is offered: paid from the client's channel to this node
     * @param facilitator where x402's facilitator API listens; empty: it does not run
     */
    public record Paywall(Endpoint listen, String tokenName, String tokenVersion, List<PaywallConfig.Route> routes,
                          boolean channelScheme, long maxTimeoutSeconds, PaywallConfig.Limits limits,
                          Optional<Endpoint> facilitator) {

        public Paywall {
            routes = List.copyOf(routes);
        }
    }

    /** The most {@code turnpike http} pays paywalls, per request and per UTC day, in the asset's smallest unit. */
    public record PaywallCaps(Amount maxPerRequest, Amount maxPerDay) {
    }

    /**
     * A provider to buy from: where it listens, who it must prove to be, its SOCKS5 relay, its JSON-RPC front, and how
     * it is paid.
     */
    public record ProviderPeer(java.net.URI url, Address address, java.net.InetSocketAddress relay, URI rpcFront,
                               Settlement settlement) {
    }

    /** How a provider is paid: through a payment channel, or by one plain on-chain transfer per payment. */
    public enum Settlement {
        CHANNEL,
        /** No channel: for a provider dealt with rarely, where a deposit would sit idle. Each payment costs gas. */
        DIRECT
    }

    /**
     * Buying JSON-RPC through a local entry, from the best of the providers that sell it or from one pinned.
     *
     * @param provider the provider every request goes to (empty: the node chooses among its providers)
     * @param listen the local entry's loopback address
     */
    public record RpcClient(Optional<Address> provider, InetSocketAddress listen) {
    }

    /**
     * Buying services. {@code socksPort} 0: no local SOCKS5 entry; {@code rpc} empty: no local JSON-RPC entry;
     * {@code paywall}: what paying HTTP 402 paywalls may cost.
     */
    public record Client(List<ProviderPeer> providers, int socksPort, Optional<RpcClient> rpc, Amount deposit,
                         Amount topUpBelow, Duration challengePeriod, Duration payInterval, int tolerancePercent,
                         PaywallCaps paywall) {

        public Client {
            providers = List.copyOf(providers);
        }
    }

    /** A watchtower this node pays {@code reward} (the asset's smallest unit) to answer a stale close for it. */
    public record Tower(java.net.URI url, Address address, Amount reward) {
    }

    /**
     * The towers that get the newest proof of each channel: at most one upload per channel and tower each
     * {@code uploadInterval}, at most {@code uploadsPerInterval} to one tower.
     */
    public record Watchtowers(List<Tower> towers, Duration uploadInterval, int uploadsPerInterval) {

        public Watchtowers {
            towers = List.copyOf(towers);
        }
    }

    /** The asset a symbol names: ETH, or one of the configured tokens (case-insensitive). */
    public Optional<Asset> asset(String symbol) {
        if (Asset.ETH.symbol().equalsIgnoreCase(symbol)) {
            return Optional.of(Asset.ETH);
        }
        return tokens.stream().filter(t -> t.symbol().equalsIgnoreCase(symbol)).findFirst();
    }

    /** A JDBC URL may carry a password as a parameter; only what precedes the parameters is shown. */
    private static String withoutCredentials(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }
}
