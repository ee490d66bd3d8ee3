package io.turnpike.relay;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.UnaryOperator;

/** A relay on loopback in front of a {@link TestTarget}, with its sessions and meter. */
final class RelayFixture implements AutoCloseable {

    final TestTarget target;
    final TestSessions sessions = new TestSessions();
    final Tally tally = new Tally();
    final RelayServer relay;

    private RelayFixture(UnaryOperator<RelayConfig> configure) throws IOException {
        target = new TestTarget();
        // Tests reach their target on loopback, which a production relay refuses.
        RelayConfig config = RelayConfig.listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withPrivateTargets(true);
        relay = RelayServer.start(configure.apply(config), sessions, tally);
    }

    static RelayFixture start() throws IOException {
        return new RelayFixture(UnaryOperator.identity());
    }

    static RelayFixture start(UnaryOperator<RelayConfig> configure) throws IOException {
        return new RelayFixture(configure);
    }

    /** Every connection closed: no socket, and no thread serving one, is left behind. */
    void awaitIdle() {
        Await.until("the relay has closed every connection", () -> relay.openConnections() == 0);
    }

    @Override
    public void close() {
        relay.close();
        target.close();
    }
}
