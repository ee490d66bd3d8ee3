package io.turnpike.protocol;

import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerMessage.Hello;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A peer that is only a TCP socket: the test writes the HTTP upgrade and every WebSocket frame byte by byte,
 * so it can send what no WebSocket library would (bad opcodes, unmasked frames, headers that never end), or
 * nothing at all. Public for {@link PeerPortProbe}'s callers.
 */
public final class TcpPeer implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xa;

    private static final int READ_TIMEOUT_MILLIS = (int) TimeUnit.SECONDS.toMillis(RecordingListener.WAIT_SECONDS);

    private final Socket socket;
    private final OutputStream out;
    /** Under {@link #in}, so that a look at whether the server has answered can put the byte back. */
    private final PushbackInputStream unread;
    private final DataInputStream in;

    private TcpPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.out = socket.getOutputStream();
        this.unread = new PushbackInputStream(socket.getInputStream());
        this.in = new DataInputStream(unread);
    }

    public static TcpPeer connect(int port) throws IOException {
        return connectFrom("127.0.0.1", port);
    }

    /** Connects from {@code source}, any 127.x.y.z address on Linux, so one machine can be several peers. */
    public static TcpPeer connectFrom(String source, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        return new TcpPeer(socket);
    }

    /**
     * Connects with a receive buffer of about {@code bytes}, fixed before the connection exists so the kernel never
     * widens it: once this peer stops reading, the server's writes stop after that much and its own buffer.
     */
    static TcpPeer connectWithReceiveBuffer(int port, int bytes) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(bytes);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        return new TcpPeer(socket);
    }

    public void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a valid upgrade request and reads the answer's status line and headers. */
    public String upgrade() throws IOException {
        write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return readResponseHead();
    }

    /** The status line and headers of an HTTP response, up to the blank line. */
    public String readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            head.write(in.readUnsignedByte());
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** A masked text frame, as a client must send. */
    void sendText(String text) throws IOException {
        sendFrame(TEXT, true, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** One frame with the given opcode, FIN bit and masking; payloads up to 64 KiB. */
    void sendFrame(int opcode, boolean fin, boolean masked, byte[] payload) throws IOException {
        write(frame(opcode, fin, masked, payload));
    }

    /** Runs the handshake by hand as {@code key} on {@code domain} once upgraded, the way a node would. */
    void authenticateAs(PrivateKey key, Eip712Domain domain, Bytes32 challenge) throws IOException {
        PeerMessage hello = readMessage();
        if (!(hello instanceof Hello server)) {
            throw new AssertionError("the server began with " + hello + ", not its hello");
        }
        ManualHandshake handshake = new ManualHandshake(server, key, domain, challenge);
        for (PeerMessage message : handshake.answer()) {
            sendText(PeerCodec.encode(message));
        }
        handshake.check(readMessage());
    }

    /** The server's next message: a text frame, whole, passing over pings and pongs. */
    PeerMessage readMessage() throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            byte[] payload = in.readNBytes(payloadLength());
            switch (opcode) {
                case TEXT -> {
                    return PeerCodec.decode(new String(payload, StandardCharsets.UTF_8));
                }
                case PING, PONG -> {
                    // Not a message.
                }
                default -> throw new AssertionError("the server sent a frame with opcode " + opcode
                        + " where a message was expected");
            }
        }
    }

    /** A frame with the given opcode, FIN bit and masking, as it goes on the wire; payloads up to 64 KiB. */
    static byte[] frame(int opcode, boolean fin, boolean masked, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write((fin ? 0x80 : 0) | opcode);
        int mask = masked ? 0x80 : 0;
        if (payload.length < 126) {
            frame.write(mask | payload.length);
        } else {
            frame.write(mask | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] key = {0x12, 0x34, 0x56, 0x78};
        if (masked) {
            frame.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        return frame.toByteArray();
    }

    /** Reads the server's frames until its close frame, and returns the close code (1005 if none given). */
    int awaitCloseFrame() throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            byte[] payload = in.readNBytes(payloadLength());
            if (opcode == CLOSE) {
                return payload.length >= 2 ? (payload[0] & 0xff) << 8 | (payload[1] & 0xff) : 1005;
            }
        }
    }

    /** The length of a server frame's payload, read from its second byte on (a server never masks). */
    private int payloadLength() throws IOException {
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
            return in.readUnsignedShort();
        }
        return length == 127 ? Math.toIntExact(in.readLong()) : length;
    }

    /**
     * Whether the server has answered, or closed the connection, waiting at most {@code millis} for it; what it
     * answered is left to be read.
     */
    boolean answeredWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            int first = unread.read();
            if (first >= 0) {
                unread.unread(first);
            }
            return true;
        } catch (SocketTimeoutException stillSilent) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    /** Everything the server sends until it closes the connection; fails if it stays open for the read timeout. */
    String readUntilClosed() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            received.write(buffer, 0, read);
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /** Whether the server has closed the connection, waiting at most {@code millis} for it. */
    public boolean closedWithin(int millis) throws IOException {
        socket.setSoTimeout(millis);
        try {
            while (in.read() >= 0) {
                // Whatever the server still sends before it closes.
            }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (SocketException reset) {
            return true;
        } finally {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
