package io.turnpike.relay;

import io.turnpike.core.Address;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A hand-driven SOCKS5 client for what curl will not send: garbage, other commands, truncated requests.
 * Requests are spelled out byte by byte from RFC 1928, independently of the code under test.
 */
final class SocksProbe implements AutoCloseable {

    static final int CONNECT = 1;
    static final int BIND = 2;
    static final int UDP_ASSOCIATE = 3;

    private final Socket socket;

    private SocksProbe(Socket socket) {
        this.socket = socket;
    }

    static SocksProbe connect(int port) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        return new SocksProbe(socket);
    }

    /** Connects, authenticates and asks to CONNECT to 127.0.0.1:{@code targetPort}; returns the reply. */
    static SocksProbe connectThrough(int relayPort, Address client, String token, int targetPort) throws IOException {
        SocksProbe probe = connect(relayPort).authenticate(client, token);
        probe.send(request(CONNECT, 127, 0, 0, 1, targetPort >> 8, targetPort & 0xFF));
        return probe;
    }

    /** A request: VER, CMD, RSV, then ATYP, address and port as given. */
    static byte[] request(int command, int... addressAndPort) {
        byte[] out = new byte[3 + 1 + addressAndPort.length];
        out[0] = 5;
        out[1] = (byte) command;
        out[3] = 1; // IPv4 unless the caller's bytes say otherwise
        for (int i = 0; i < addressAndPort.length; i++) {
            out[4 + i] = (byte) addressAndPort[i];
        }
        return out;
    }

    /** A request with a domain-name target. */
    static byte[] request(int command, String domain, int port) {
        byte[] name = domain.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[5 + name.length + 2];
        out[0] = 5;
        out[1] = (byte) command;
        out[3] = 3;
        out[4] = (byte) name.length;
        System.arraycopy(name, 0, out, 5, name.length);
        out[5 + name.length] = (byte) (port >> 8);
        out[6 + name.length] = (byte) port;
        return out;
    }

    /** The reply to a refused request: VER, REP, RSV, and the IPv4 address 0.0.0.0:0. */
    static byte[] refusal(int reply) {
        return new byte[] {5, (byte) reply, 0, 1, 0, 0, 0, 0, 0, 0};
    }

    SocksProbe authenticate(Address client, String token) throws IOException {
        send(5, 1, 2);
        expect(5, 2);
        byte[] user = client.toString().getBytes(StandardCharsets.US_ASCII);
        byte[] password = token.getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream auth = new ByteArrayOutputStream();
        auth.write(1);
        auth.write(user.length);
        auth.writeBytes(user);
        auth.write(password.length);
        auth.writeBytes(password);
        send(auth.toByteArray());
        expect(1, 0);
        return this;
    }

    SocksProbe send(int... bytes) throws IOException {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = (byte) bytes[i];
        }
        return send(out);
    }

    SocksProbe send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        return this;
    }

    /** Reads exactly the given bytes or fails. */
    SocksProbe expect(int... bytes) throws IOException {
        byte[] read = socket.getInputStream().readNBytes(bytes.length);
        byte[] want = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            want[i] = (byte) bytes[i];
        }
        if (!java.util.Arrays.equals(read, want)) {
            throw new AssertionError("expected " + java.util.HexFormat.of().formatHex(want) + ", read "
                    + java.util.HexFormat.of().formatHex(read));
        }
        return this;
    }

    /** Reads the reply to a CONNECT (IPv4 or IPv6 bound address) and returns its REP code. */
    int readReplyCode() throws IOException {
        byte[] head = socket.getInputStream().readNBytes(4);
        int addressLength = head[3] == 4 ? 16 : 4;
        socket.getInputStream().readNBytes(addressLength + 2);
        return head[1];
    }

    /** Everything the server sends until it closes. */
    byte[] readToEnd() throws IOException {
        return socket.getInputStream().readAllBytes();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
