package io.turnpike.relay;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * A CONNECT target (or a reply's bound address) as it travels on the wire: an IPv4 or IPv6 address, or a
 * domain name that the relay resolves. The raw bytes are kept so that the entry forwards exactly what
 * its client sent.
 */
record Destination(int type, byte[] address, int port) {

    static final int IPV4 = 0x01;
    static final int DOMAIN = 0x03;
    static final int IPV6 = 0x04;

    /** What a failure reply carries: RFC 1928 gives no meaning to the bound address then. */
    static final Destination NONE = new Destination(IPV4, new byte[4], 0);

    static Destination of(InetSocketAddress bound) {
        byte[] address = bound.getAddress().getAddress();
        return new Destination(address.length == 4 ? IPV4 : IPV6, address, bound.getPort());
    }

    /** Reads ATYP, DST.ADDR and DST.PORT. */
    static Destination read(InputStream in) throws IOException {
        int type = Socks5.readByte(in);
        byte[] address = switch (type) {
            case IPV4 -> Socks5.readFully(in, 4);
            case IPV6 -> Socks5.readFully(in, 16);
            case DOMAIN -> Socks5.readFully(in, Socks5.readByte(in));
            default -> throw new SocksRefusal(Reply.ADDRESS_TYPE_NOT_SUPPORTED, "address type " + type);
        };
        byte[] port = Socks5.readFully(in, 2);
        return new Destination(type, address, (port[0] & 0xFF) << 8 | port[1] & 0xFF);
    }

    byte[] encode() {
        boolean named = type == DOMAIN;
        byte[] out = new byte[1 + (named ? 1 : 0) + address.length + 2];
        int at = 0;
        out[at++] = (byte) type;
        if (named) {
            out[at++] = (byte) address.length;
        }
        System.arraycopy(address, 0, out, at, address.length);
        at += address.length;
        out[at++] = (byte) (port >> 8);
        out[at] = (byte) port;
        return out;
    }

    /** The socket address to connect to; a domain name is looked up here, at the relay. */
    InetSocketAddress resolve() throws UnknownHostException {
        InetAddress resolved = type == DOMAIN ? InetAddress.getByName(host()) : InetAddress.getByAddress(address);
        return new InetSocketAddress(resolved, port);
    }

    private String host() {
        // ISO-8859-1 maps every byte to one char, so a name is never altered on its way to the resolver.
        return new String(address, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        if (type == DOMAIN) {
            return host() + ":" + port;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address), port).toString();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("an IP address of " + address.length + " bytes", e);
        }
    }
}
