package io.turnpike.node.demo;

import io.turnpike.chain.Chain;
import io.turnpike.chain.ChainAccount;
import io.turnpike.chain.ChannelsContract;
import io.turnpike.chain.anvil.Anvil;
import io.turnpike.chain.anvil.FreePort;
import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.node.NodeHome;
import io.turnpike.node.control.PeerView;
import io.turnpike.node.daemon.TurnpikeNode;
import io.turnpike.node.service.RpcService;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A provider node selling JSON-RPC with anvil as its full node, one client node paying for it through a channel and
 * a few client nodes served at the free tier, on a local chain in ether: what the rpc demo and its test run on. The
 * free clients' channels hold less than the provider's {@code min-deposit}, so they are served only from the spare
 * capacity, and pay through their channels for what they use like any client.
 */
public final class RpcNodes implements AutoCloseable {

    /** The price of one cost unit: 1 gwei, so an eth_blockNumber (10 units) costs 10 gwei. */
    public static final Amount PRICE = Amount.of(1_000_000_000L);
    /**
     * Units per second: in all, for the one paid seat, at most for a free client. Low enough that the front's flow
     * control, not the machine, sets each client's pace: 30 eth_blockNumber a second at the seat, 10 for a free client
     * alone, and the free clients share 10 a second between them while the paying one is active.
     */
    public static final long TOTAL_CAPACITY = 400;
    public static final long PAID_CAPACITY = 300;
    public static final long FREE_CAPACITY = 100;
    /** What each node starts with on chain. */
    public static final Amount FUNDING = Amount.parse("10", 18);
    /** A channel of less than this is served at the free tier. */
    private static final String MIN_DEPOSIT = "10000000000000000";
    private static final String PAYER_DEPOSIT = "1";
    private static final String FREE_DEPOSIT = "0.005";

    public final Chain chain;
    public final ChannelsContract contract;
    public final TurnpikeNode provider;
    public final TurnpikeNode payer;
    public final List<TurnpikeNode> free;
    /** The block before any node's own transaction: gas is counted from there. */
    public final long startBlock;
    /** Every node started, the provider first: closed in reverse. */
    private final List<TurnpikeNode> started;
    private boolean payerStopped;

    private RpcNodes(Chain chain, ChannelsContract contract, List<TurnpikeNode> started, long startBlock) {
        this.chain = chain;
        this.contract = contract;
        this.started = started;
        this.provider = started.get(0);
        this.payer = started.get(1);
        this.free = List.copyOf(started.subList(2, started.size()));
        this.startBlock = startBlock;
    }

    /**
     * Deploys the channel contract, funds and starts the provider and {@code 1 + freeClients} client nodes in
     * {@code work}, and returns once every client holds its channel and an rpc session.
     */
    public static RpcNodes start(Anvil anvil, Path work, int freeClients) throws InterruptedException {
        Chain chain = anvil.connect();
        ChainAccount operator = chain.account(anvil.devKeys().get(0));
        ChannelsContract contract = ChannelsContract.deploy(operator, 60, 30L * 24 * 3600);
        SecureRandom random = new SecureRandom();
        NodeHome providerHome = DemoNodes.home(work.resolve("provider"), operator, FUNDING, random);
        List<NodeHome> clientHomes = new ArrayList<>();
        for (int n = 0; n <= freeClients; n++) {
            clientHomes.add(DemoNodes.home(work.resolve(n == 0 ? "payer" : "free-" + n), operator, FUNDING, random));
        }
        long startBlock = chain.head();
        Address providerAddress = providerHome.keystore().address();
        String common = DemoNodes.onChain(anvil, contract.address());
        int providerPeer = FreePort.take();
        int front = FreePort.take();
        DemoNodes.configure(providerHome, common + "peer { bind = \"127.0.0.1\", port = " + providerPeer + " }\n"
                + "provider { enabled = true, min-deposit = \"" + MIN_DEPOSIT + "\", statement-interval = 1s\n"
                + "  services.bandwidth.enabled = false\n"
                + "  services.rpc { enabled = true, bind = \"127.0.0.1\", port = " + front + ", upstreams = [\""
                + anvil.rpcUrl() + "\"], price-per-unit = \"" + PRICE + "\", total-capacity = " + TOTAL_CAPACITY
                + ", paid-capacity = " + PAID_CAPACITY + ", free-capacity = " + FREE_CAPACITY + ", buffer = 1s } }\n");
        for (int n = 0; n < clientHomes.size(); n++) {
            DemoNodes.configure(clientHomes.get(n), common + "peer { bind = \"127.0.0.1\", port = "
                    + FreePort.take() + " }\n"
                    + "client { providers = [{url = \"ws://127.0.0.1:" + providerPeer + "\", address = \""
                    + providerAddress + "\"}], socks-port = 0, deposit = \"" + (n == 0 ? PAYER_DEPOSIT : FREE_DEPOSIT)
                    + "\", top-up-below = \"0\", pay-interval = 1s\n"
                    + "  services.rpc { provider = \"" + providerAddress + "\", front = \"http://127.0.0.1:" + front
                    + "\", listen = \"127.0.0.1:" + FreePort.take() + "\" } }\n");
        }
        List<TurnpikeNode> started = new ArrayList<>();
        try {
            started.add(DemoNodes.start(providerHome, false));
            for (NodeHome home : clientHomes) {
                started.add(DemoNodes.start(home, false));
            }
            RpcNodes nodes = new RpcNodes(chain, contract, started, startBlock);
            DemoNodes.await(() -> nodes.clients().stream().allMatch(client -> client.payments().orElseThrow()
                    .sessionToken(providerAddress, RpcService.NAME).isPresent()
                    && nodes.atProvider(client).flatMap(PeerView::channelId).isPresent()), Duration.ofSeconds(60));
            return nodes;
        } catch (InterruptedException | RuntimeException e) {
            stopAll(started);
            chain.close();
            throw e;
        }
    }

    /** The paying client first, then the free ones. */
    public List<TurnpikeNode> clients() {
        return started.subList(1, started.size());
    }

    public static Address address(TurnpikeNode node) {
        return node.context().key().address();
    }

    /** Where programs on {@code client}'s machine send JSON-RPC: its local entry. */
    public static URI entry(TurnpikeNode client) {
        return URI.create("http://127.0.0.1:" + client.rpcEntryPort().orElseThrow());
    }

    /** The client's ledger with the provider, as the client keeps it. */
    public static PeerView atClient(TurnpikeNode client) {
        return client.payments().orElseThrow().views().getFirst();
    }

    /** The client's ledger as the provider keeps it, once the provider has seen it. */
    public Optional<PeerView> atProvider(TurnpikeNode client) {
        Address address = address(client);
        return provider.provider().orElseThrow().views().stream().filter(view -> view.address().equals(address))
                .findFirst();
    }

    /**
     * What {@code client}'s own side holds in a channel to the provider still open on chain: a client node whose
     * channel settled opens the next at once, to go on buying.
     */
    public Amount heldInOpenChannel(Address client) {
        long channelId = contract.unsettledChannel(client, address(provider), Address.ZERO);
        if (channelId == 0) {
            return Amount.ZERO;
        }
        ChannelsContract.ParticipantInfo own = contract.participant(channelId, client);
        return own.deposit().minus(own.withdrawn());
    }

    /** Stops the paying client's node, so that its ether moves no more. */
    public void stopPayer() {
        if (!payerStopped) {
            payerStopped = true;
            DemoNodes.stop(payer);
        }
    }

    /** What {@code who}'s own transactions since the nodes were funded cost. */
    public Amount gasSpent(Address who) {
        return DemoNodes.gasSpent(chain, who, startBlock);
    }

    @Override
    public void close() {
        try {
            stopAll(started.stream().filter(node -> node != payer || !payerStopped).toList());
        } finally {
            chain.close();
        }
    }

    /** Stops every node, the last started first, even when stopping one fails. */
    private static void stopAll(List<TurnpikeNode> nodes) {
        RuntimeException failed = null;
        for (TurnpikeNode node : nodes.reversed()) {
            try {
                DemoNodes.stop(node);
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
