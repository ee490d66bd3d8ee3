package io.turnpike.node.daemon;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.payment.PaymentEngine;
import io.turnpike.node.peer.Peer;
import io.turnpike.node.peer.Peers;
import io.turnpike.node.provider.Provider;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes every peer message off the connection's I/O thread onto the peer's own executor, and there hands it to
 * its owner by type: a channel's settlement and withdrawal messages to the peer's channels, the rest to the buying or the
 * selling side. A refusal is answered with an {@code error}, never an error with an error.
 */
public final class PeerRouter implements PeerListener {

    private static final Logger LOG = LoggerFactory.getLogger(PeerRouter.class);

    private final Peers peers;
    private final Optional<PaymentEngine> payments;
    private final Optional<Provider> provider;
    /** The chain's time as best known, against which a withdrawal's expiry is judged before co-signing it. */
    private final Clock chainClock;

    public PeerRouter(Peers peers, Optional<PaymentEngine> payments, Optional<Provider> provider, Clock chainClock) {
        this.chainClock = chainClock;
        this.peers = peers;
        this.payments = payments;
        this.provider = provider;
    }

    @Override
    public void onAuthenticated(PeerConnection connection) {
        Peer peer = peers.connect(connection);
        provider.ifPresent(p -> peer.executor().execute(() -> p.onAuthenticated(peer)));
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        Peer peer = peers.of(connection.remote());
        peer.received(connection, () -> {
            try {
                route(peer, connection, message);
            } catch (TurnpikeException refused) {
                peer.refuse(connection, message, refused);
            }
        });
    }

    private void route(Peer peer, PeerConnection connection, PeerMessage message) {
        boolean handled = switch (message) {
            case PeerMessage.SettleRequest request -> {
                peer.channels().settleProposed(request.settle());
                yield true;
            }
            case PeerMessage.SettleSign sign -> {
                peer.channels().settleSigned(sign.settle());
                yield true;
            }
            case PeerMessage.WithdrawRequest request -> {
                peer.channels().withdrawRequested(request.withdraw(), chainClock.instant());
                yield true;
            }
            case PeerMessage.WithdrawSign sign -> {
                peer.channels().withdrawSigned(sign.withdraw());
                yield true;
            }
            case PeerMessage.ErrorMessage error -> {
                boolean answered = peer.channels().withdrawRefused(error);
                if (!peer.channels().settleRefused(error) && !answered) {
                    LOG.info("peer {} refused a message: [{}] {}", peer.address(), error.code(), error.message());
                    payments.ifPresent(p -> p.refused(peer.address(), error));
                }
                yield true;
            }
            default -> payments.map(p -> p.onMessage(connection, message)).orElse(false)
                    || provider.map(p -> p.onMessage(peer, connection, message)).orElse(false);
        };
        if (!handled) {
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER,
                    "this node does not expect '" + message.type() + "' from " + peer.address() + " now");
        }
    }

    @Override
    public void onClosed(PeerConnection connection) {
        Peer peer = peers.of(connection.remote());
        if (peer.disconnected(connection)) {
            peer.executor().execute(() -> {
                payments.ifPresent(p -> p.onClosed(peer.address()));
                provider.ifPresent(p -> p.onClosed(peer.address()));
            });
        }
    }
}
