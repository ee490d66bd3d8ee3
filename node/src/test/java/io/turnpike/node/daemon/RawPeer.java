package io.turnpike.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.service.BandwidthService;
import io.turnpike.protocol.PeerClient;
import io.turnpike.protocol.PeerConfig;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.protocol.PeerMessage.SessionRequest;
import io.turnpike.protocol.PeerMessage.SessionToken;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer driven by hand over the real protocol: it authenticates with its own key, then sends exactly what the
 * test tells it to — honest messages, or hostile ones — and reads the node's answers.
 */
final class RawPeer implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

    private final PrivateKey key;
    private final Eip712Domain domain;
    private final PeerConnection connection;
    private final BlockingQueue<PeerMessage> inbox;

    private RawPeer(PrivateKey key, Eip712Domain domain, PeerConnection connection, BlockingQueue<PeerMessage> inbox) {
        this.key = key;
        this.domain = domain;
        this.connection = connection;
        this.inbox = inbox;
    }

    /** Connects to the node at {@code peerPort}, which must prove to be {@code node}. */
    static RawPeer connect(PrivateKey key, Eip712Domain domain, int peerPort, Address node) throws Exception {
        BlockingQueue<PeerMessage> inbox = new LinkedBlockingQueue<>();
        PeerListener listener = (connection, message) -> inbox.add(message);
        PeerConnection connection = PeerClient.connect(PeerConfig.of(key, domain),
                URI.create("ws://127.0.0.1:" + peerPort), Optional.of(node), listener).get(WAIT_SECONDS, TimeUnit.SECONDS);
        return new RawPeer(key, domain, connection, inbox);
    }

    Address address() {
        return key.address();
    }

    /** A proof signed by this peer. */
    Signed<BalanceProof> proof(long channelId, long nonce, Amount transferred) {
        return Signed.sign(new BalanceProof(channelId, nonce, transferred), domain, key);
    }

    void send(PeerMessage message) {
        connection.send(message);
    }

    /** Announces a channel this peer opened, as a client does; returns the node's view of it. */
    ChannelSync announce(long channelId) throws InterruptedException {
        send(new ChannelSync(channelId, domain.chainId(), domain.verifyingContract(), 0, 0));
        return next(ChannelSync.class);
    }

    /** Sends a payment and returns the node's answer: a {@link Receipt}, or an {@link ErrorMessage}. */
    PeerMessage pay(Signed<BalanceProof> proof) throws InterruptedException {
        send(new Pay(proof));
        return answer();
    }

    /** Asks for a relay session token, as a client does before it uses the relay. */
    String sessionToken() throws InterruptedException {
        send(new SessionRequest(BandwidthService.NAME));
        return next(SessionToken.class).token();
    }

    /**
     * The node's answer to what this peer sent last: the next receipt or error. Offers, statements and
     * throttles the node sends on its own are passed over.
     */
    PeerMessage answer() throws InterruptedException {
        while (true) {
            PeerMessage message = poll();
            if (message instanceof Receipt || message instanceof ErrorMessage) {
                return message;
            }
        }
    }

    /** The next message of {@code type}, passing over others. */
    <T extends PeerMessage> T next(Class<T> type) throws InterruptedException {
        while (true) {
            PeerMessage message = poll();
            if (type.isInstance(message)) {
                return type.cast(message);
            }
        }
    }

    private PeerMessage poll() throws InterruptedException {
        PeerMessage message = inbox.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(message).as("an answer from the node within %d s", WAIT_SECONDS).isNotNull();
        return message;
    }

    @Override
    public void close() {
        connection.close();
        connection.closed().orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }
}
