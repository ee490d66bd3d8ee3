package io.turnpike.node.demo;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.ContractArtifact;
import io.turnpike.chain.Erc20;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.Asset;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.Role;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.http.FatalErrors;
import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.NodeHome;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.paywall.DailySpending;
import io.turnpike.node.paywall.PaywallClient;
import io.turnpike.store.NodeIdentity;
import io.turnpike.store.Store;
import io.turnpike.store.StoreConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;

/**
 * A provider node selling an HTTP API through its paywall, and a client node holding a channel to it, on a local
 * chain, in an EIP-3009 token ("USD Coin", 6 decimals, like USDC): what the paywall demo, its tests and the paywall
 * benchmark run on. The API behind the paywall is a small JSON backend on loopback, also reachable unpaid.
 */
public final class PaywallNodes implements AutoCloseable {

    /** What one request to {@code /api/} costs: 0.001 of the token. */
    public static final Amount PRICE = Amount.of(1_000);
    /** {@code /bytes/}: {@link #PRICE} a request and this much a byte of the answer, of at most {@link #MAX_BYTES}. */
    public static final Amount PER_BYTE = Amount.of(2);
    public static final int MAX_BYTES = 2_048;
    public static final String TOKEN_NAME = "USD Coin";
    public static final String TOKEN_VERSION = "2";
    private static final Amount ETHER = Amount.parse("10", 18);
    /** Each party's tokens: the client's deposit comes out of it, the x402 payer pays from it. */
    private static final Amount TOKENS = Amount.parse("100", 6);

    public final Anvil anvil;
    public final Chain chain;
    public final ChannelsContract contract;
    public final Erc20 token;
    public final Asset asset;
    public final TurnpikeNode provider;
    public final TurnpikeNode client;
    /** The channel the client opened to the provider. */
    public final long channelId;
    private final ChainAccount operator;
    private final JsonHttpServer backend;
    private final long startBlock;
    /** The settings every node here shares (chain, contract, token), and the provider's peer port: for more clients. */
    private final String common;
    private final int providerPeer;
    private boolean clientStopped;
    /** The stores of the payers without a node ({@link #exactPayer}), closed with the nodes. */
    private final List<Store> payerStores = new ArrayList<>();

    private PaywallNodes(Anvil anvil, Chain chain, ChannelsContract contract, Erc20 token, ChainAccount operator,
                         JsonHttpServer backend, TurnpikeNode provider, TurnpikeNode client, long channelId,
                         long startBlock, String common, int providerPeer) {
        this.common = common;
        this.providerPeer = providerPeer;
        this.anvil = anvil;
        this.chain = chain;
        this.contract = contract;
        this.token = token;
        this.asset = Asset.erc20("USDC", token.address(), 6);
        this.operator = operator;
        this.backend = backend;
        this.provider = provider;
        this.client = client;
        this.channelId = channelId;
        this.startBlock = startBlock;
    }

    /**
     * Deploys the contracts, starts the backend and both nodes in {@code work}, and returns once the client's channel
     * of {@code deposit} (whole tokens, exact decimal) is open and held by the provider too.
     *
     * @param clientCaps the client's {@code turnpike.client.paywall} settings
     */
    public static PaywallNodes start(Anvil anvil, Path work, String deposit, String clientCaps)
            throws InterruptedException {
        Chain chain = anvil.connect();
        ChainAccount operator = chain.account(anvil.devKeys().get(0));
        ChannelsContract contract = ChannelsContract.deploy(operator, 60, 30L * 24 * 3600);
        Erc20 token = Erc20.at(chain, operator.deploy(ContractArtifact.load("Eip3009Token"),
                FunctionEncoder.encodeConstructor(List.of(new Utf8String(TOKEN_NAME), new Utf8String("USDC"),
                        new Utf8String(TOKEN_VERSION)))).createdContract());
        long startBlock = chain.head();
        SecureRandom random = new SecureRandom();
        NodeHome providerHome = DemoNodes.home(work.resolve("provider"), operator, ETHER, random);
        NodeHome clientHome = DemoNodes.home(work.resolve("client"), operator, ETHER, random);
        Address providerAddress = providerHome.keystore().address();
        token.mint(operator, clientHome.keystore().address(), TOKENS);

        JsonHttpServer backend = startBackend();
        TurnpikeNode provider = null;
        try {
            int providerPeer = FreePort.take();
            String common = DemoNodes.onChain(anvil, contract.address()) + "tokens = [{symbol = \"USDC\", address = \""
                    + token.address() + "\", decimals = 6}]\nasset = \"USDC\"\n";
            DemoNodes.configure(providerHome, common + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                    + "provider { enabled = true, payment-threshold = \"1000000\", statement-interval = 1s\n"
                    + "  services.bandwidth.enabled = false\n"
                    + "  services.paywall { enabled = true, port = " + FreePort.take() + ", token-name = \""
                    + TOKEN_NAME + "\", token-version = \"" + TOKEN_VERSION + "\", facilitator { enabled = true, port = "
                    + FreePort.take() + " }\n    routes = [{prefix = \"/api/\", backend = \"http://127.0.0.1:"
                    + backend.address().getPort() + "/v1\", price = \"" + PRICE + "\", description = \"A quote\"},\n"
                    + "      {prefix = \"/bytes/\", backend = \"http://127.0.0.1:" + backend.address().getPort()
                    + "/v1\", price = \"" + PRICE + "\", price-per-byte = \"" + PER_BYTE + "\", max-response-bytes = "
                    + MAX_BYTES + ", description = \"A quote, by the byte\"}] } }\n");
            provider = DemoNodes.start(providerHome, false);
            TurnpikeNode client = startClient(clientHome, common, providerPeer, provider, deposit, clientCaps);
            return new PaywallNodes(anvil, chain, contract, token, operator, backend, provider, client,
                    openChannel(client, providerAddress), startBlock, common, providerPeer);
        } catch (InterruptedException | RuntimeException e) {
            if (provider != null) {
                DemoNodes.stop(provider);
            }
            backend.close();
            throw e;
        }
    }

    /**
     * Starts one more client node in {@code directory}, funded and holding a channel of {@code deposit} to the
     * provider, as {@link #start} does the first; the caller stops it ({@link DemoNodes#stop}).
     *
     * @param more settings of its own, after the shared ones (a later key wins)
     */
    public TurnpikeNode startClient(Path directory, String deposit, String clientCaps, String more)
            throws InterruptedException {
        NodeHome home = DemoNodes.home(directory, operator, ETHER, new SecureRandom());
        token.mint(operator, home.keystore().address(), TOKENS);
        return startClient(home, common + more + "\n", providerPeer, provider, deposit, clientCaps);
    }

    /** Configures and starts a client node of {@code seller}, and returns once its channel is open on both sides. */
    private static TurnpikeNode startClient(NodeHome home, String common, int providerPeer, TurnpikeNode seller,
                                            String deposit, String clientCaps) throws InterruptedException {
        Address providerAddress = seller.context().key().address();
        DemoNodes.configure(home, common + "peer { bind = \"127.0.0.1\", port = " + FreePort.take()
                + " }\nclient { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \""
                + providerAddress + "\"}], socks-port = 0, deposit = \"" + deposit + "\", top-up-below = \"0\", "
                + "pay-interval = 1s\n  paywall { " + clientCaps + " } }\n");
        TurnpikeNode client = DemoNodes.start(home, false);
        try {
            DemoNodes.await(() -> openChannel(client, providerAddress) > 0
                    && seller.channel(openChannel(client, providerAddress)).isPresent(), Duration.ofSeconds(60));
        } catch (InterruptedException | RuntimeException e) {
            DemoNodes.stop(client);
            throw e;
        }
        return client;
    }

    /** The client's open channel to {@code provider}, 0 while there is none. */
    private static long openChannel(TurnpikeNode client, Address provider) {
        return client.peers().of(provider).await(() -> client.peers().of(provider).channels().open(Role.A)
                .map(Channel::channelId).orElse(0L));
    }

    /** The backend's JSON API: {@code {"quote": …, "path": …, "payer": …}}; {@code payer} is empty when unpaid. */
    private static JsonHttpServer startBackend() {
        try {
            return JsonHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new JsonHttpServer.Surface("demo API", HttpLimits.defaults(), FatalErrors::exitProcess),
                    call -> HttpReply.json(200, JsonObjectReader.MAPPER.createObjectNode().put("quote", "ETH/USD 3141.59")
                            .put("path", call.path())
                            .put("payer", String.valueOf(call.header("Turnpike-Payer")))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Address providerAddress() {
        return provider.context().key().address();
    }

    public Address clientAddress() {
        return client.context().key().address();
    }

    /** A paid path of the paywall. */
    public URI paid(String path) {
        return URI.create("http://127.0.0.1:" + provider.paywallPort().orElseThrow() + path);
    }

    /** The same API without the paywall, as the backend serves {@code /v1/…} itself. */
    public URI direct(String path) {
        return URI.create("http://127.0.0.1:" + backend.address().getPort() + path);
    }

    /** Mints {@code amount} of the token to {@code to}. */
    public void mint(Address to, Amount amount) {
        token.mint(operator, to, amount);
    }

    /** What {@code who}'s own transactions since the nodes started cost, read from the chain. */
    public Amount gasSpent(Address who) {
        return DemoNodes.gasSpent(chain, who, startBlock);
    }

    /**
     * A payer without a node or a channel, paying {@code exact} with {@code key}, as an x402 client would: the day's
     * spending it counts against its caps is kept in a store of its own in {@code directory}, closed with the nodes.
     */
    public synchronized PaywallClient exactPayer(PrivateKey key, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Store store = Store.open(StoreConfig.sqlite(directory),
                new NodeIdentity(key.address(), anvil.chainId(), contract.address()));
        payerStores.add(store);
        return new PaywallClient(key, anvil.chainId(), asset, Optional.empty(), Optional.empty(),
                DailySpending.of(store, directory, Clock.systemUTC()), Clock.systemUTC(), new SecureRandom());
    }

    /** Stops the client node, as its operator would before running {@code turnpike http} on its data directory. */
    public void stopClient() {
        if (!clientStopped) {
            clientStopped = true;
            DemoNodes.stop(client);
        }
    }

    @Override
    public void close() {
        try {
            stopClient();
        } finally {
            try {
                DemoNodes.stop(provider);
            } finally {
                backend.close();
                chain.close();
                synchronized (this) {
                    payerStores.forEach(Store::close);
                }
            }
        }
    }
}
