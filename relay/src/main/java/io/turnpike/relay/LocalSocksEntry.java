package io.turnpike.relay;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The buying node's SOCKS5 entry on loopback: any program on this machine connects without
 * authentication ({@code curl --socks5-hostname 127.0.0.1:PORT}), and each connection is forwarded
 * through the provider's {@link RelayServer}, authenticated with the route current at that moment, so a
 * session token renewed after a reconnect is used from the next connection on.
 */
public final class LocalSocksEntry implements AutoCloseable {

    private static final int HANDSHAKE_BUFFER = 1024;
    private static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

    private final Supplier<Optional<RelayRoute>> routes;
    private final Meter meter;
    private final Acceptor acceptor;

    private LocalSocksEntry(ServerSocket server, Supplier<Optional<RelayRoute>> routes, Meter meter) {
        this.routes = routes;
        this.meter = meter;
        this.acceptor = new Acceptor(server, "socks-entry", this::serve);
    }

    /**
     * Listens on the loopback address only, so no other machine can spend this node's money.
     *
     * @param port   0 picks a free port ({@link #port()})
     * @param routes the provider to use now, or empty when there is none (connections are then refused)
     * @param meter  told the bytes relayed per provider, to check the provider's statements against
     */
    public static LocalSocksEntry start(int port, Supplier<Optional<RelayRoute>> routes, Meter meter)
            throws IOException {
        Objects.requireNonNull(routes, "routes");
        Objects.requireNonNull(meter, "meter");
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        return new LocalSocksEntry(server, routes, meter);
    }

    public int port() {
        return acceptor.port();
    }

    /** Connections accepted and not yet closed. */
    public int openConnections() {
        return acceptor.openConnections();
    }

    @Override
    public void close() {
        acceptor.close();
    }

    private void serve(Socket local) throws IOException {
        local.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        local.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(local.getInputStream(), HANDSHAKE_BUFFER);
        OutputStream out = local.getOutputStream();
        if (!Socks5.offers(in, Socks5.NO_AUTHENTICATION)) {
            Socks5.write(out, Socks5.choose(Socks5.NO_ACCEPTABLE_METHOD));
            return;
        }
        Socks5.write(out, Socks5.choose(Socks5.NO_AUTHENTICATION));
        try {
            Destination destination = Socks5.readConnect(in);
            RelayRoute route = routes.get()
                    .orElseThrow(() -> new SocksRefusal(Reply.GENERAL_FAILURE, "no provider to relay through"));
            try (Socket relay = new Socket()) {
                RelayAnswer answer = openThroughRelay(relay, route, destination);
                Socks5.write(out, answer.reply()); // the relay's reply, success or not, is the reply
                if (answer.reply()[1] != Reply.SUCCEEDED.code) {
                    return;
                }
                local.setSoTimeout(0);
                relay.setSoTimeout(0);
                new Splice(local, in, relay, answer.fromRelay(), Throttle.NONE, meter, route.provider()).run();
            }
        } catch (SocksRefusal refusal) {
            Socks5.write(out, Socks5.reply(refusal.reply, Destination.NONE));
        }
    }

    /** The relay's reply to the request, and its stream positioned after it. */
    private record RelayAnswer(byte[] reply, InputStream fromRelay) {
    }

    /**
     * Connects to the relay and sends greeting, credentials and request in one segment, saving two round
     * trips per connection; the relay offers only username/password, so nothing is assumed that it
     * could answer differently.
     */
    private static RelayAnswer openThroughRelay(Socket relay, RelayRoute route, Destination destination)
            throws SocksRefusal {
        try {
            relay.connect(route.relay(), HANDSHAKE_TIMEOUT_MILLIS);
            relay.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
            relay.setTcpNoDelay(true);
            Socks5.write(relay.getOutputStream(), Socks5.greeting(Socks5.USERNAME_PASSWORD),
                    Socks5.encode(route.credentials()), Socks5.connect(destination));
            InputStream fromRelay = new BufferedInputStream(relay.getInputStream(), HANDSHAKE_BUFFER);
            if (!Socks5.chosen(fromRelay, Socks5.USERNAME_PASSWORD) || !Socks5.authAccepted(fromRelay)) {
                throw new SocksRefusal(Reply.NOT_ALLOWED, "relay " + route.relay() + " refused " + route.client());
            }
            return new RelayAnswer(Socks5.readReply(fromRelay), fromRelay);
        } catch (SocksRefusal refusal) {
            throw refusal;
        } catch (IOException e) {
            // The relay is down or broke off: a failure of this SOCKS server, not of the target.
            throw new SocksRefusal(Reply.GENERAL_FAILURE, "relay " + route.relay() + " failed: " + e);
        }
    }
}
