package io.turnpike.rpc;

import java.net.URI;
import java.util.Objects;

/**
 * One of the operator's own JSON-RPC nodes behind the front: its HTTP URL, which calls go to, and its WebSocket URL,
 * which subscriptions are held on — by default the HTTP URL's host, port and path with {@code ws://} ({@code wss://}
 * for {@code https://}), as geth, reth and anvil serve both on one port; a node that serves them apart names its own.
 */
public record UpstreamNode(URI http, URI socket) {

    public UpstreamNode {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(socket, "socket");
        if (!"http".equalsIgnoreCase(http.getScheme()) && !"https".equalsIgnoreCase(http.getScheme())) {
            throw new IllegalArgumentException("an upstream's JSON-RPC URL is http:// or https://, not "
                    + http.getScheme() + "://");
        }
        if (!"ws".equalsIgnoreCase(socket.getScheme()) && !"wss".equalsIgnoreCase(socket.getScheme())) {
            throw new IllegalArgumentException("an upstream's WebSocket URL is ws:// or wss://, not "
                    + socket.getScheme() + "://");
        }
    }

    /** A node serving its WebSocket on its HTTP URL's port. */
    public static UpstreamNode at(URI http) {
        return new UpstreamNode(http, Sockets.socketOf(http));
    }

    /** Scheme, host and port only: operators put API keys in paths and queries. */
    static String printable(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    @Override
    public String toString() {
        return "UpstreamNode[" + printable(http) + ", " + printable(socket) + "]";
    }
}
