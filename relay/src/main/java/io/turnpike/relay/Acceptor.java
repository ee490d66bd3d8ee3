package io.turnpike.relay;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepts connections and serves each on its own virtual thread. It tracks every accepted socket until
 * its handler is done, so that the count of open connections is exact and closing closes them all.
 */
final class Acceptor implements Closeable {

    /** Serves one accepted connection; the acceptor closes the socket afterwards. */
    @FunctionalInterface
    interface Handler {
        void serve(Socket socket) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());
    /** After a refusal, how long to read what the client already sent, so that the refusal is not lost. */
    private static final int LINGER_MILLIS = 1_000;
    private static final int LINGER_BYTES = 64 * 1024;
    /** Connections open at once, and from one source address: past either, a new one is closed at once. */
    static final int MAX_CONNECTIONS = 4096;
    static final int MAX_CONNECTIONS_PER_ADDRESS = 256;

    private final ServerSocket server;
    private final String name;
    private final Handler handler;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private volatile boolean closed;

    Acceptor(ServerSocket server, String name, Handler handler) {
        this.server = server;
        this.name = name;
        this.handler = handler;
        Thread.ofPlatform().name(name + "-accept").daemon().start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    int openConnections() {
        return open.size();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "accepting on port " + port() + " failed", e);
                    pauseAfterFailedAccept();
                }
                continue;
            }
            if (!admit(socket)) {
                LOG.log(System.Logger.Level.DEBUG, () -> "refused a connection from " + socket.getInetAddress()
                        + ": " + open.size() + " open, the caps are " + MAX_CONNECTIONS + " and "
                        + MAX_CONNECTIONS_PER_ADDRESS + " from one address");
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            if (closed) { // closed after accept() returned: close() may have missed this socket
                closeQuietly(socket);
            }
            Thread.ofVirtual().name(name + "-conn").start(() -> serve(socket));
        }
    }

    /** Counts the connection against its address, unless either cap is reached; only the accept loop adds. */
    private boolean admit(Socket socket) {
        if (open.size() >= MAX_CONNECTIONS) {
            return false;
        }
        int[] count = new int[1];
        perAddress.compute(socket.getInetAddress(), (address, n) -> {
            count[0] = n == null ? 1 : n + 1;
            return count[0];
        });
        if (count[0] > MAX_CONNECTIONS_PER_ADDRESS) {
            released(socket);
            return false;
        }
        return true;
    }

    private void released(Socket socket) {
        perAddress.computeIfPresent(socket.getInetAddress(), (address, n) -> n == 1 ? null : n - 1);
    }

    /** Out of file descriptors, accept fails at once; retrying in a tight loop would only burn a core. */
    private static void pauseAfterFailedAccept() {
        java.util.concurrent.locks.LockSupport.parkNanos(100_000_000L);
    }

    private void serve(Socket socket) {
        try {
            handler.serve(socket);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "connection from " + socket.getRemoteSocketAddress() + " ended: " + e);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "connection from " + socket.getRemoteSocketAddress() + " failed", e);
        } finally {
            released(socket);
            lingerAndClose(socket);
            open.remove(socket);
        }
    }

    /**
     * Closing a socket with unread input makes the kernel reset the connection, and the client may then
     * lose the refusal written just before. So signal the end, read what is pending, then close.
     */
    private static void lingerAndClose(Socket socket) {
        if (!socket.isClosed()) {
            try {
                socket.shutdownOutput();
                socket.setSoTimeout(LINGER_MILLIS);
                long drained = 0;
                byte[] sink = new byte[1024];
                int read;
                while (drained < LINGER_BYTES && (read = socket.getInputStream().read(sink)) != -1) {
                    drained += read;
                }
            } catch (IOException e) {
                // The client is gone or too slow to close; either way the socket is closed next.
            }
        }
        closeQuietly(socket);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(Acceptor::closeQuietly);
    }

    static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it; there is nothing to recover.
        }
    }
}
