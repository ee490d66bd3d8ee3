package io.turnpike.node.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.node.fixtures.ManualExecutor;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PeerTest {

    private static final Address PARTNER = Address.of("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");

    private final ManualExecutor executor = new ManualExecutor();
    private final Peer peer = new Peer(PARTNER, new SerialExecutor(executor), null, MetricsTracker.NONE);
    private final Connection connection = new Connection();

    @Test
    void aPeerThatSendsFasterThanItIsServedIsCutOffAtTheLimitAndWhatWaitsIsStillHandled() {
        AtomicInteger handled = new AtomicInteger();

        for (int i = 0; i < Peer.MAX_UNHANDLED_MESSAGES; i++) {
            assertThat(peer.received(connection, handled::incrementAndGet)).isTrue();
        }
        boolean oneMore = peer.received(connection, handled::incrementAndGet);

        assertThat(oneMore).isFalse();
        assertThat(connection.closed().isDone()).isTrue();
        assertThat(connection.sent).singleElement().isInstanceOfSatisfying(PeerMessage.ErrorMessage.class,
                error -> assertThat(error.code()).isEqualTo(ErrorCode.TOO_MANY_MESSAGES.code()));
        executor.runAll();
        assertThat(handled).hasValue(Peer.MAX_UNHANDLED_MESSAGES);
    }

    @Test
    void handledMessagesMakeRoomForMore() {
        AtomicInteger handled = new AtomicInteger();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < Peer.MAX_UNHANDLED_MESSAGES; i++) {
                assertThat(peer.received(connection, handled::incrementAndGet)).isTrue();
            }
            executor.runAll();
        }

        assertThat(handled).hasValue(3 * Peer.MAX_UNHANDLED_MESSAGES);
        assertThat(connection.closed().isDone()).isFalse();
    }

    /** A connection that records what the node sends on it. */
    private static final class Connection implements PeerConnection {
        final List<PeerMessage> sent = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();

        @Override
        public Address remote() {
            return PARTNER;
        }

        @Override
        public InetSocketAddress remoteSocket() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public void send(PeerMessage message) {
            sent.add(message);
        }

        @Override
        public boolean isOpen() {
            return !closed.isDone();
        }

        @Override
        public void close() {
            closed.complete(null);
        }

        @Override
        public CompletableFuture<Void> closed() {
            return closed;
        }
    }
}
