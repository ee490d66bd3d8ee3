package io.turnpike.node.peer;

import io.turnpike.core.Address;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.channel.ChannelChain;
import io.turnpike.node.channel.PeerChannels;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.store.ChannelStore;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/** The peers this node deals with, each made once, on first contact, with its channels read from the store. */
public final class Peers {

    private final ChannelStore store;
    private final ChannelChain chain;
    private final PrivateKey key;
    private final Eip712Domain domain;
    private final Executor base;
    private final Executor background;
    private final MetricsTracker metrics;
    private final Map<Address, Peer> peers = new ConcurrentHashMap<>();
    private final Set<Address> kept = ConcurrentHashMap.newKeySet();

    /**
     * @param base runs the peers' serial executors (virtual threads in the node, a controlled runner in tests)
     * @param background runs what waits for the chain
     */
    public Peers(ChannelStore store, ChannelChain chain, PrivateKey key, Eip712Domain domain, Executor base,
                 Executor background, MetricsTracker metrics) {
        this.metrics = metrics;
        this.store = store;
        this.chain = chain;
        this.key = key;
        this.domain = domain;
        this.base = base;
        this.background = background;
    }

    public Peer of(Address address) {
        return peers.computeIfAbsent(address, this::create);
    }

    /**
     * The peer at the other end of a newly authenticated connection, connected in the same step, so that
     * {@link #forget} cannot drop it between being found and being connected.
     */
    public Peer connect(PeerConnection connection) {
        return peers.compute(connection.remote(), (address, known) -> {
            Peer peer = known != null ? known : create(address);
            peer.connected(connection);
            return peer;
        });
    }

    /** {@link #of}, never forgotten: a provider this node buys from, whose peer its payment engine holds on to. */
    public Peer keep(Address address) {
        kept.add(address);
        return of(address);
    }

    /**
     * Drops a peer that is not connected, unless it is {@linkplain #keep kept}: its channels stay in the store and
     * {@link #of} reads them back. Returns whether it was dropped.
     */
    public boolean forget(Address address) {
        boolean[] dropped = new boolean[1];
        peers.computeIfPresent(address, (a, peer) -> {
            dropped[0] = !kept.contains(a) && !peer.isConnected();
            return dropped[0] ? null : peer;
        });
        return dropped[0];
    }

    private Peer create(Address address) {
        SerialExecutor executor = new SerialExecutor(base);
        Peer[] peer = new Peer[1];
        PeerChannels channels = new PeerChannels(address, store.listByPartner(address), store, chain, key, executor,
                background, message -> peer[0].send(message), metrics);
        peer[0] = new Peer(address, executor, channels, metrics);
        return peer[0];
    }

    public Optional<Peer> find(Address address) {
        return Optional.ofNullable(peers.get(address));
    }

    public Collection<Peer> all() {
        return peers.values();
    }

    /** The peer a channel of this node is with, if the channel is this node's. */
    public Optional<Peer> owning(long channelId) {
        return store.get(ref(channelId)).map(channel -> of(channel.partner()));
    }

    public ChannelRef ref(long channelId) {
        return new ChannelRef(domain.chainId(), domain.verifyingContract(), channelId);
    }
}
