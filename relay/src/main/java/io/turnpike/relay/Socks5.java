package io.turnpike.relay;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** SOCKS5 on the wire (RFC 1928) with its username/password sub-negotiation (RFC 1929). */
final class Socks5 {

    static final int VERSION = 0x05;
    static final int NO_AUTHENTICATION = 0x00;
    static final int USERNAME_PASSWORD = 0x02;
    static final int NO_ACCEPTABLE_METHOD = 0xFF;
    static final int CONNECT = 0x01;

    private static final int AUTH_VERSION = 0x01;
    private static final int AUTH_SUCCESS = 0x00;
    private static final int AUTH_FAILURE = 0x01;

    private Socks5() {
    }

    /** A username and password as sent in the sub-negotiation. */
    record Credentials(String username, String password) {
        @Override
        public String toString() {
            return "Credentials[" + username + "]"; // the password is a live session token
        }
    }

    /** Reads the client's greeting; whether it is SOCKS5 and offers {@code method}. */
    static boolean offers(InputStream in, int method) throws IOException {
        if (readByte(in) != VERSION) {
            return false;
        }
        for (byte offered : readFully(in, readByte(in))) {
            if ((offered & 0xFF) == method) {
                return true;
            }
        }
        return false;
    }

    static byte[] choose(int method) {
        return new byte[] {VERSION, (byte) method};
    }

    static byte[] greeting(int method) {
        return new byte[] {VERSION, 1, (byte) method};
    }

    /** Reads the server's method choice; whether it is {@code method}. */
    static boolean chosen(InputStream in, int method) throws IOException {
        return readByte(in) == VERSION && readByte(in) == method;
    }

    static Credentials readCredentials(InputStream in) throws IOException {
        if (readByte(in) != AUTH_VERSION) {
            throw new IOException("not a username/password sub-negotiation (RFC 1929)");
        }
        String username = new String(readFully(in, readByte(in)), StandardCharsets.UTF_8);
        String password = new String(readFully(in, readByte(in)), StandardCharsets.UTF_8);
        return new Credentials(username, password);
    }

    static byte[] encode(Credentials credentials) {
        byte[] username = credentials.username().getBytes(StandardCharsets.UTF_8);
        byte[] password = credentials.password().getBytes(StandardCharsets.UTF_8);
        if (username.length == 0 || password.length == 0 || username.length > 255 || password.length > 255) {
            throw new IllegalArgumentException("RFC 1929 carries a username and password of 1..255 bytes each");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(3 + username.length + password.length);
        out.write(AUTH_VERSION);
        out.write(username.length);
        out.writeBytes(username);
        out.write(password.length);
        out.writeBytes(password);
        return out.toByteArray();
    }

    static byte[] authStatus(boolean accepted) {
        return new byte[] {AUTH_VERSION, (byte) (accepted ? AUTH_SUCCESS : AUTH_FAILURE)};
    }

    /** Reads the server's answer to the credentials; whether they were accepted. */
    static boolean authAccepted(InputStream in) throws IOException {
        return readByte(in) == AUTH_VERSION && readByte(in) == AUTH_SUCCESS;
    }

    /**
     * Reads a request and returns its target if it is a CONNECT. The whole request is read before an
     * unsupported command is refused, so the refusal is the answer to a complete request.
     */
    static Destination readConnect(InputStream in) throws IOException {
        int version = readByte(in);
        int command = readByte(in);
        readByte(in); // RSV
        if (version != VERSION) {
            throw new SocksRefusal(Reply.GENERAL_FAILURE, "request version " + version);
        }
        Destination target = Destination.read(in);
        if (command != CONNECT) {
            throw new SocksRefusal(Reply.COMMAND_NOT_SUPPORTED, "command " + command + " to " + target);
        }
        return target;
    }

    static byte[] connect(Destination target) {
        return withHeader(CONNECT, target);
    }

    static byte[] reply(Reply reply, Destination bound) {
        return withHeader(reply.code, bound);
    }

    /** Reads a whole reply, bytes as received, so that the entry can pass it on unchanged. */
    static byte[] readReply(InputStream in) throws IOException {
        int version = readByte(in);
        int code = readByte(in);
        readByte(in); // RSV
        if (version != VERSION) {
            throw new IOException("reply version " + version);
        }
        return withHeader(code, Destination.read(in));
    }

    private static byte[] withHeader(int code, Destination address) {
        byte[] encoded = address.encode();
        byte[] out = new byte[3 + encoded.length];
        out[0] = VERSION;
        out[1] = (byte) code;
        System.arraycopy(encoded, 0, out, 3, encoded.length);
        return out;
    }

    static void write(OutputStream out, byte[]... parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        out.write(all.toByteArray()); // one write: one segment for a pipelined handshake
        out.flush();
    }

    static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the peer closed in the middle of the SOCKS handshake");
        }
        return b;
    }

    static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("the peer closed in the middle of the SOCKS handshake");
        }
        return bytes;
    }
}
