package io.turnpike.relay;

import io.turnpike.core.Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Where a {@link LocalSocksEntry} sends its connections: the chosen provider's relay, and the session
 * token that provider issued to this node ({@code client}) over their peer connection.
 */
public record RelayRoute(Address provider, InetSocketAddress relay, Address client, String sessionToken) {

    public RelayRoute {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(relay, "relay");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(sessionToken, "sessionToken");
        Socks5.encode(credentials(client, sessionToken)); // fails now, not per connection, if RFC 1929 cannot carry it
    }

    Socks5.Credentials credentials() {
        return credentials(client, sessionToken);
    }

    private static Socks5.Credentials credentials(Address client, String sessionToken) {
        return new Socks5.Credentials(client.toString(), sessionToken);
    }

    @Override
    public String toString() {
        return "RelayRoute[provider=" + provider + ", relay=" + relay + ", client=" + client + "]"; // no token in logs
    }
}
