package io.turnpike.relay;

import io.turnpike.core.Address;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
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

    ClientTable(int maxConnectionsPerClient, LongSupplier ticker) {
        this.maxConnectionsPerClient = maxConnectionsPerClient;
        this.ticker = ticker;
    }

    /** Counts a new connection for {@code client}; empty when it already has as many as it may. */
    Optional<ClientShare> admit(Address client) {
        lock.lock();
        try {
            ClientShare share = shares.computeIfAbsent(client, c -> new ClientShare(ticker));
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
            ClientShare share = shares.computeIfAbsent(client, c -> new ClientShare(ticker));
            share.setRate(bytesPerSecond);
            forgetIfIdle(client, share);
        } finally {
            lock.unlock();
        }
    }

    long rate(Address client) {
        lock.lock();
        try {
            ClientShare share = shares.get(client);
            return share == null ? RelayServer.UNLIMITED : share.rate();
        } finally {
            lock.unlock();
        }
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

    private void forgetIfIdle(Address client, ClientShare share) {
        if (share.connections() == 0 && share.rate() == RelayServer.UNLIMITED) {
            shares.remove(client);
        }
    }
}
