package io.turnpike.relay;

import io.turnpike.core.Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The relay's clients: those with a connection open or a rate set. A client at full speed with no
 * connection is forgotten, so the table holds only clients that matter now or are throttled.
 */
final class ClientTable {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Address, ClientShare> shares = new HashMap<>();
    private final int maxConnectionsPerClient;
    private final LongSupplier ticker;
    private final ThrottledTotal throttledTotal;

    /**
     * @param throttledTotalRate what all throttled clients together may relay per second;
     *     {@link RelayServer#UNLIMITED} for no cap
     */
    ClientTable(int maxConnectionsPerClient, long throttledTotalRate, LongSupplier ticker) {
        this.maxConnectionsPerClient = maxConnectionsPerClient;
        this.ticker = ticker;
        this.throttledTotal = throttledTotalRate == RelayServer.UNLIMITED ? null
                : new ThrottledTotal(throttledTotalRate, ticker.getAsLong());
    }

    /** Counts a new connection for {@code client}; empty when it already has as many as it may. */
    Optional<ClientShare> admit(Address client) {
        lock.lock();
        try {
            ClientShare share = shares.computeIfAbsent(client, c -> new ClientShare(ticker, throttledTotal));
            if (share.connections() >= maxConnectionsPerClient) {
                return Optional.empty();
            }
            share.connections(share.connections() + 1);
            return Optional.of(share);
        } finally {
            lock.unlock();
        }
    }

    void release(Address client, ClientShare share) {
        lock.lock();
        try {
            share.connections(share.connections() - 1);
            forgetIfIdle(client, share);
        } finally {
            lock.unlock();
        }
    }

    void setRate(Address client, long bytesPerSecond) {
        lock.lock();
        try {
            ClientShare share = shares.computeIfAbsent(client, c -> new ClientShare(ticker, throttledTotal));
            share.setRate(bytesPerSecond);
            forgetIfIdle(client, share);
        } finally {
            lock.unlock();
        }
    }

    long rate(Address client) {
        return ofShare(client, ClientShare::rate, RelayServer.UNLIMITED);
    }

    /** Wakes every throttled connection, so that those whose sockets were closed end. */
    void wakeAll() {
        lock.lock();
        try {
            shares.values().forEach(ClientShare::wake);
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is kept for {@code client}, whatever its rate, if it has no connection. */
    void forget(Address client) {
        lock.lock();
        try {
            ClientShare share = shares.get(client);
            if (share != null && share.connections() == 0) {
                shares.remove(client);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The connections {@code client} holds now. */
    int connections(Address client) {
        return ofShare(client, ClientShare::connections, 0);
    }

    /** {@code what} of the client's share, read under the table's lock; {@code none} for a client without one. */
    private <T> T ofShare(Address client, Function<ClientShare, T> what, T none) {
        lock.lock();
        try {
            ClientShare share = shares.get(client);
            return share == null ? none : what.apply(share);
        } finally {
            lock.unlock();
        }
    }

    /** How many clients the table keeps a share for. */
    int size() {
        lock.lock();
        try {
            return shares.size();
        } finally {
            lock.unlock();
        }
    }

    private void forgetIfIdle(Address client, ClientShare share) {
        if (share.connections() == 0 && share.rate() == RelayServer.UNLIMITED) {
            shares.remove(client);
        }
    }
}
