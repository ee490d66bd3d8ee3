package io.turnpike.node.peer;

import io.turnpike.core.Address;
import io.turnpike.core.channel.ChannelRef;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.channel.ChannelChain;
import io.turnpike.node.channel.PeerChannels;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.store.ChannelStore;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
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
        return peers.computeIfAbsent(address, a -> {
            SerialExecutor executor = new SerialExecutor(base);
            Peer[] peer = new Peer[1];
            PeerChannels channels = new PeerChannels(a, store.listByPartner(a), store, chain, key, executor, background,
                    message -> peer[0].send(message), metrics);
            peer[0] = new Peer(a, executor, channels, metrics);
            return peer[0];
        });
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
