package io.turnpike.relay;

import io.turnpike.core.Address;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The provider's relay: a SOCKS5 server (RFC 1928, CONNECT only) that accepts only username/password
 * authentication (RFC 1929) with the client's address as username and its session token as password,
 * meters every relayed byte per client and throttles each client with one token bucket shared by all
 * its connections. Clients start at full speed; the node calls {@link #setRate} as their debt changes.
 */
public final class RelayServer implements AutoCloseable {

    /** The rate of a client that pays: no bucket, no limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;
    /** The default free-tier rate, 1 Mbit/s. */
    public static final long FREE_TIER = 125_000;

    /** Enough for the greeting, credentials and request, which a client may send in one segment. */
    private static final int HANDSHAKE_BUFFER = 1024;

    /** Closes connections whose handshake ran out of time; one daemon thread for every relay. */
    private static final ScheduledExecutorService HANDSHAKE_DEADLINES = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("relay-handshake-deadline").daemon().factory());

    private final RelayConfig config;
    private final TargetFilter targets = TargetFilter.forThisMachine();
    private final ClientSessions sessions;
    private final Meter meter;
    private final ClientTable clients;
    private final Acceptor acceptor;

    private RelayServer(RelayConfig config, ClientSessions sessions, Meter meter, ServerSocket server) {
        this.config = config;
        this.sessions = sessions;
        this.meter = meter;
        this.clients = new ClientTable(config.maxConnectionsPerClient(), config.throttledTotalRate(), config.ticker());
        this.acceptor = new Acceptor(server, "relay", this::serve);
    }

    /** Binds and starts accepting; {@code meter} and {@code sessions} are called from many threads. */
    public static RelayServer start(RelayConfig config, ClientSessions sessions, Meter meter) throws IOException {
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(meter, "meter");
        ServerSocket server = new ServerSocket();
        try {
            server.bind(config.bind());
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new RelayServer(config, sessions, meter, server);
    }

    public int port() {
        return acceptor.port();
    }

    /**
     * Sets how many bytes per second {@code client} may relay, over all its connections and both
     * directions: {@link #UNLIMITED}, a limit such as {@link #FREE_TIER}, or 0 to stall its connections
     * without closing them. Takes effect at once on live connections and holds for later ones.
     */
    public void setRate(Address client, long bytesPerSecond) {
        Objects.requireNonNull(client, "client");
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate is at least 0 bytes per second, got " + bytesPerSecond);
        }
        clients.setRate(client, bytesPerSecond);
    }

    /** The node forgot {@code client}: if it has no connection, its rate is dropped; a rate set later starts afresh. */
    public void forget(Address client) {
        clients.forget(client);
    }

    /** The connections {@code client} holds now, in any phase. */
    public int connections(Address client) {
        return clients.connections(client);
    }

    /** How many clients the relay keeps a rate or connections for. */
    public int knownClients() {
        return clients.size();
    }

    /** The rate {@code client} is held to now: {@link #UNLIMITED} unless one was set. */
    public long rate(Address client) {
        return clients.rate(client);
    }

    /** Connections accepted and not yet closed, in any phase from handshake to relaying. */
    public int openConnections() {
        return acceptor.openConnections();
    }

    /** Stops accepting and closes every connection, including stalled ones. */
    @Override
    public void close() {
        acceptor.close();
        clients.wakeAll();
    }

    private void serve(Socket socket) throws IOException {
        // Each read waits at most the handshake time, and the handshake as a whole too: a client dripping a byte
        // just inside the read timeout would otherwise hold the connection for as long as it likes.
        socket.setSoTimeout(Math.toIntExact(config.handshakeTimeout().toMillis()));
        ScheduledFuture<?> deadline = HANDSHAKE_DEADLINES.schedule(() -> Acceptor.closeQuietly(socket),
                config.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        try {
            handshakeThenRelay(socket, deadline);
        } finally {
            deadline.cancel(false);
        }
    }

    private void handshakeThenRelay(Socket socket, ScheduledFuture<?> deadline) throws IOException {
        socket.setTcpNoDelay(true); // relayed bytes are written as they arrive; no second delay here
        InputStream in = new BufferedInputStream(socket.getInputStream(), HANDSHAKE_BUFFER);
        OutputStream out = socket.getOutputStream();
        if (!Socks5.offers(in, Socks5.USERNAME_PASSWORD)) {
            Socks5.write(out, Socks5.choose(Socks5.NO_ACCEPTABLE_METHOD));
            return;
        }
        Socks5.write(out, Socks5.choose(Socks5.USERNAME_PASSWORD));
        Optional<Address> client = authenticate(Socks5.readCredentials(in));
        Socks5.write(out, Socks5.authStatus(client.isPresent()));
        if (client.isEmpty()) {
            return; // RFC 1929: the server closes the connection after a failure status
        }
        try {
            Destination destination = Socks5.readConnect(in);
            if (!deadline.cancel(false)) {
                return; // the deadline closed the socket as the request arrived
            }
            ClientShare share = clients.admit(client.get()).orElseThrow(() -> new SocksRefusal(Reply.NOT_ALLOWED,
                    client.get() + " already has " + config.maxConnectionsPerClient() + " connections"));
            try (Socket target = connect(destination)) {
                Socks5.write(out, Socks5.reply(Reply.SUCCEEDED,
                        Destination.of((InetSocketAddress) target.getLocalSocketAddress())));
                socket.setSoTimeout(0); // relayed connections may be idle for as long as their ends like
                new Splice(socket, in, target, target.getInputStream(), share, meter, client.get()).run();
            } finally {
                clients.release(client.get(), share);
            }
        } catch (SocksRefusal refusal) {
            Socks5.write(out, Socks5.reply(refusal.reply, Destination.NONE));
        }
    }

    private Optional<Address> authenticate(Socks5.Credentials credentials) {
        Address client;
        try {
            client = Address.of(credentials.username());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return sessions.isValid(client, credentials.password()) ? Optional.of(client) : Optional.empty();
    }

    private Socket connect(Destination destination) throws IOException {
        InetSocketAddress address;
        try {
            address = destination.resolve();
        } catch (UnknownHostException e) {
            throw new SocksRefusal(Reply.HOST_UNREACHABLE, "cannot resolve " + destination);
        }
        if (!config.allowPrivateTargets() && targets.refuses(address.getAddress())) {
            throw new SocksRefusal(Reply.NOT_ALLOWED, destination + " is not on the public internet, or is this "
                    + "machine");
        }
        Socket target = new Socket();
        try {
            target.connect(address, Math.toIntExact(config.connectTimeout().toMillis()));
            target.setTcpNoDelay(true);
            return target;
        } catch (IOException e) {
            target.close();
            throw new SocksRefusal(replyTo(e), destination + ": " + e.getMessage());
        }
    }

    /**
     * The RFC 1928 reply for a failed connect. The JDK reports "connection refused" and "timed out" as the
     * same exception type and "network unreachable" as a plain SocketException, so the message decides.
     */
    private static Reply replyTo(IOException failure) {
        String message = String.valueOf(failure.getMessage()).toLowerCase(java.util.Locale.ROOT);
        return switch (failure) {
            case NoRouteToHostException e -> Reply.HOST_UNREACHABLE;
            case SocketTimeoutException e -> Reply.HOST_UNREACHABLE;
            case ConnectException e when message.contains("refused") -> Reply.CONNECTION_REFUSED;
            case ConnectException e -> Reply.HOST_UNREACHABLE;
            case SocketException e when message.contains("network is unreachable") -> Reply.NETWORK_UNREACHABLE;
            default -> Reply.GENERAL_FAILURE;
        };
    }

}
