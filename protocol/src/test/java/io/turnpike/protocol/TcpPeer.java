package io.turnpike.protocol;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A peer that is only a TCP socket: the test writes the HTTP upgrade and every WebSocket frame byte by byte,
 * so it can send what no WebSocket library would (bad opcodes, unmasked frames, headers that never end), or
 * nothing at all.
 */
final class TcpPeer implements AutoCloseable {

    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;

    private static final int READ_TIMEOUT_MILLIS = (int) TimeUnit.SECONDS.toMillis(RecordingListener.WAIT_SECONDS);

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private TcpPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
    }

    static TcpPeer connect(int port) throws IOException {
        return connectFrom("127.0.0.1", port);
    }

    /** Connects from {@code source}, any 127.x.y.z address on Linux, so one machine can be several peers. */
    static TcpPeer connectFrom(String source, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(source, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        return new TcpPeer(socket);
    }

    void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes a valid upgrade request and reads the answer's status line and headers. */
    String upgrade() throws IOException {
        write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        return readResponseHead();
    }

    /** The status line and headers of an HTTP response, up to the blank line. */
    String readResponseHead() throws IOException {
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
            frame.write(key);
        }
        for (int i = 0; i < payload.length; i++) {
            frame.write(masked ? payload[i] ^ key[i % 4] : payload[i]);
        }
        write(frame.toByteArray());
    }

    /** Reads the server's frames until its close frame, and returns the close code (1005 if none given). */
    int awaitCloseFrame() throws IOException {
        while (true) {
            int opcode = in.readUnsignedByte() & 0x0f;
            int length = in.readUnsignedByte() & 0x7f;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = Math.toIntExact(in.readLong());
            }
            byte[] payload = in.readNBytes(length);
            if (opcode == CLOSE) {
                return payload.length >= 2 ? (payload[0] & 0xff) << 8 | (payload[1] & 0xff) : 1005;
            }
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
    boolean closedWithin(int millis) throws IOException {
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
