package io.turnpike.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A WebSocket client that is not a Turnpike node: the JDK's own, sending whatever frames a test writes, so the
 * server can be shown garbage, early messages and a hand-made handshake. Public for {@link PeerPortProbe}'s callers.
 */
public final class RawPeer implements AutoCloseable {

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final WebSocket socket;

    private RawPeer(int port) throws Exception {
        socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port), new Collector())
                .get(RecordingListener.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public static RawPeer connect(int port) throws Exception {
        return new RawPeer(port);
    }

    public void send(String frame) throws Exception {
        socket.sendText(frame, true).get(RecordingListener.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    public void send(PeerMessage message) throws Exception {
        send(PeerCodec.encode(message));
    }

    /** One fragment of a text message that {@code last} ends; the first fragment starts it. */
    public void sendFragment(String fragment, boolean last) throws Exception {
        socket.sendText(fragment, last).get(RecordingListener.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** {@link #sendFragment}; false if the connection was closed or failed meanwhile. */
    public boolean trySendFragment(String fragment, boolean last) throws InterruptedException {
        try {
            socket.sendText(fragment, last).get(RecordingListener.WAIT_SECONDS, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException | IllegalStateException failed) {
            return false;
        }
    }

    /** The next text frame, waiting a bounded time for it. */
    String nextFrame() throws InterruptedException {
        String frame = frames.poll(RecordingListener.WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(frame).as("a frame within %d s", RecordingListener.WAIT_SECONDS).isNotNull();
        return frame;
    }

    public PeerMessage next() throws InterruptedException {
        return PeerCodec.decode(nextFrame());
    }

    /** The code of the next frame, which must be an {@code error}. */
    String nextErrorCode() throws InterruptedException {
        PeerMessage message = next();
        assertThat(message).isInstanceOf(ErrorMessage.class);
        return ((ErrorMessage) message).code();
    }

    /** Runs the handshake by hand as {@code key} on the protocol tests' chain, the way a node would. */
    void authenticateAs(PrivateKey key, Bytes32 challenge) throws Exception {
        authenticateAs(key, PeerFixtures.DOMAIN, challenge);
    }

    /** Runs the handshake by hand as {@code key} on {@code domain}, the way a node would. */
    public void authenticateAs(PrivateKey key, Eip712Domain domain, Bytes32 challenge) throws Exception {
        answer((Hello) next(), key, domain, challenge);
    }

    /** Runs the rest of the handshake as {@code key} once the server's hello has been read. */
    void answer(Hello server, PrivateKey key, Bytes32 challenge) throws Exception {
        answer(server, key, PeerFixtures.DOMAIN, challenge);
    }

    private void answer(Hello server, PrivateKey key, Eip712Domain domain, Bytes32 challenge) throws Exception {
        ManualHandshake handshake = new ManualHandshake(server, key, domain, challenge);
        for (PeerMessage message : handshake.answer()) {
            send(message);
        }
        handshake.check(next());
    }

    /** The close code the server sent, waiting a bounded time for it. */
    public int awaitClose() throws Exception {
        return closeCode.get(RecordingListener.WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Whether the server has closed the connection, waiting at most {@code wait} for it. */
    public boolean closedWithin(Duration wait) throws InterruptedException {
        try {
            closeCode.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException failed) {
            return true;
        } catch (TimeoutException stillOpen) {
            return false;
        }
    }

    boolean isOpen() {
        return !socket.isInputClosed();
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
    }

    private final class Collector implements WebSocket.Listener {

        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
