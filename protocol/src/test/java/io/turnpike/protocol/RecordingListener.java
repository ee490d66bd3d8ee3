package io.turnpike.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** A node's listener for tests: records what arrives and can react to each message. */
final class RecordingListener implements PeerListener {

    static final long WAIT_SECONDS = 5;

    final CompletableFuture<PeerConnection> authenticated = new CompletableFuture<>();
    final CompletableFuture<PeerConnection> closed = new CompletableFuture<>();
    private final BlockingQueue<PeerMessage> messages = new LinkedBlockingQueue<>();
    private final BiConsumer<PeerConnection, PeerMessage> reaction;

    RecordingListener() {
        this((connection, message) -> { });
    }

    /** Records each message, then runs {@code reaction}, whose refusals go back to the peer. */
    RecordingListener(BiConsumer<PeerConnection, PeerMessage> reaction) {
        this.reaction = reaction;
    }

    @Override
    public void onAuthenticated(PeerConnection connection) {
        authenticated.complete(connection);
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        messages.add(message);
        reaction.accept(connection, message);
    }

    @Override
    public void onClosed(PeerConnection connection) {
        closed.complete(connection);
    }

    /** The next message to arrive, waiting a bounded time for it. */
    PeerMessage next() throws InterruptedException {
        PeerMessage message = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(message).as("a message within %d s", WAIT_SECONDS).isNotNull();
        return message;
    }
}
