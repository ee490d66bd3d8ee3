package io.turnpike.node.demo;

import io.turnpike.core.TurnpikeException;
import io.turnpike.protocol.PeerCodec;
import io.turnpike.protocol.PeerMessage;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The network between a client node and its provider's peer port, in a test's or the chaos soak's hands: TCP
 * forwarded both ways, which they can cut (every connection dropped, new ones closed at once), slow down (each frame
 * held back a while) and restore. Like a packet capture
 * it also reads the WebSocket text frames crossing it, so a test can see every message the nodes exchanged,
 * including ones sent by a process that was killed a moment later.
 */
public final class PeerLink implements AutoCloseable {

    /** One message that crossed the link; {@code fromDialer}: sent by the node that connected (the client). */
    public record Crossing(boolean fromDialer, PeerMessage message) {
    }

    private final ServerSocket server;
    private final InetSocketAddress upstream;
    /** Whether it reads the WebSocket frames crossing it; a link to a chain's RPC passes bytes as they come. */
    private final boolean readsFrames;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final List<Crossing> crossings = new ArrayList<>();
    private volatile boolean cut;
    private volatile long delayMillis;

    /** A link to the peer port {@code port} on loopback. */
    public PeerLink(int port) {
        this(port, true);
    }

    /**
     * A link to the chain's JSON-RPC endpoint at {@code port} on loopback, cut while the chain restarts: nothing reaches
     * it while it writes its state, so the state it comes back with holds every block it mined and nothing more.
     */
    public static PeerLink toChain(int port) {
        return new PeerLink(port, false);
    }

    private PeerLink(int port, boolean readsFrames) {
        this.readsFrames = readsFrames;
        this.upstream = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("peer-link").start(this::accept);
    }

    /** Where the client node dials its provider. */
    public int port() {
        return server.getLocalPort();
    }

    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port());
    }

    /** Drops every connection and closes new ones as they arrive, as a dead network does. */
    public void cut() {
        cut = true;
        sockets.forEach(PeerLink::closeQuietly);
    }

    /** Holds every frame back {@code millis} before passing it on, as a congested or distant network does. */
    public void delay(long millis) {
        delayMillis = millis;
    }

    /** Undoes {@link #cut()} and {@link #delay(long)}. */
    public void restore() {
        cut = false;
        delayMillis = 0;
    }

    /** Every message seen so far, in the order each direction carried them. */
    public List<Crossing> crossings() {
        synchronized (crossings) {
            return List.copyOf(crossings);
        }
    }

    /** The messages of {@code type} seen so far in one direction. */
    public <T extends PeerMessage> List<T> seen(boolean fromDialer, Class<T> type) {
        return crossings().stream().filter(c -> c.fromDialer() == fromDialer)
                .map(Crossing::message).filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void close() {
        closeQuietly(server);
        sockets.forEach(PeerLink::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket dialer;
            try {
                dialer = server.accept();
            } catch (IOException closed) {
                return;
            }
            if (cut) {
                closeQuietly(dialer);
                continue;
            }
            Socket provider = new Socket();
            try {
                provider.connect(upstream, 5_000);
            } catch (IOException down) {
                closeQuietly(dialer);
                closeQuietly(provider);
                continue;
            }
            sockets.add(dialer);
            sockets.add(provider);
            Thread.ofVirtual().start(() -> pump(dialer, provider, true));
            Thread.ofVirtual().start(() -> pump(provider, dialer, false));
        }
    }

    /** Copies one direction frame by frame, reading each text message on its way through. */
    private void pump(Socket from, Socket to, boolean fromDialer) {
        try {
            InputStream in = new BufferedInputStream(from.getInputStream());
            OutputStream out = new BufferedOutputStream(to.getOutputStream());
            if (!readsFrames) {
                copyAsItComes(in, to.getOutputStream());
                return;
            }
            copyHttpHead(in, out);
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int first = in.read();
                if (first < 0) {
                    return;
                }
                int second = readByte(in);
                out.write(first);
                out.write(second);
                long length = second & 0x7F;
                int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
                if (extended > 0) {
                    byte[] bytes = in.readNBytes(extended);
                    out.write(bytes);
                    length = 0;
                    for (byte b : bytes) {
                        length = length << 8 | (b & 0xFF);
                    }
                }
                byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
                if (mask != null) {
                    out.write(mask);
                }
                byte[] payload = in.readNBytes(Math.toIntExact(length));
                if (payload.length < length) {
                    return;
                }
                long delay = delayMillis;
                if (delay > 0) {
                    TimeUnit.MILLISECONDS.sleep(delay);
                }
                out.write(payload);
                out.flush();
                int opcode = first & 0x0F;
                if (opcode == 0x1 || opcode == 0x0) { // text, or the continuation of one
                    if (mask != null) {
                        for (int i = 0; i < payload.length; i++) {
                            payload[i] ^= mask[i % 4];
                        }
                    }
                    message.write(payload);
                    if ((first & 0x80) != 0) {
                        record(fromDialer, message.toString(StandardCharsets.UTF_8));
                        message.reset();
                    }
                }
            }
        } catch (IOException broken) {
            // A cut, a killed node, or a normal close: the other direction is closed below.
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    private void record(boolean fromDialer, String frame) {
        try {
            PeerMessage message = PeerCodec.decode(frame);
            synchronized (crossings) {
                crossings.add(new Crossing(fromDialer, message));
            }
        } catch (TurnpikeException notAMessage) {
            // Only well-formed messages can have any effect; the nodes refuse the rest themselves.
        }
    }

    private static void copyAsItComes(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        for (int read; (read = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, read);
            out.flush();
        }
    }

    /** The HTTP upgrade request or response, up to the blank line; frames follow it. */
    private static void copyHttpHead(InputStream in, OutputStream out) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = readByte(in);
            out.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        out.flush();
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
