package io.turnpike.node.channel;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.CooperativeSettle;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.SettleRequest;
import io.turnpike.protocol.PeerMessage.SettleSign;
import io.turnpike.store.Channel;
import io.turnpike.store.ChannelState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Cooperative settlement over the peer connection: the requester proposes the payouts its own view of the
 * channel gives and signs them; the partner signs only if its own view gives exactly the same payouts, and
 * from then on neither side moves money in the channel; the requester puts both signatures on chain.
 */
public final class SettlementDesk {

    private final ChannelManager channels;
    private final PrivateKey key;
    private final Function<Address, Optional<PeerConnection>> connections;
    private final Map<Address, CompletableFuture<Signed<CooperativeSettle>>> pending = new ConcurrentHashMap<>();

    public SettlementDesk(ChannelManager channels, PrivateKey key,
                          Function<Address, Optional<PeerConnection>> connections) {
        this.channels = channels;
        this.key = key;
        this.connections = connections;
    }

    /**
     * Asks the partner to co-sign the settlement and puts it on chain. Throws if the partner is not connected,
     * disagrees or does not answer within {@code wait}; the channel is then still open.
     */
    public Channel settle(Channel channel, Duration wait) {
        PeerConnection connection = connections.apply(channel.partner()).filter(PeerConnection::isOpen)
                .orElseThrow(() -> new TurnpikeException(ErrorCode.OUT_OF_ORDER,
                        "the partner " + channel.partner() + " is not connected; it cannot co-sign a settlement"));
        long channelId = channel.ref().channelId();
        channels.beginSettling(channelId);
        CompletableFuture<Signed<CooperativeSettle>> answer = new CompletableFuture<>();
        pending.put(channel.partner(), answer);
        try {
            Channel current = channels.find(channelId).orElseThrow();
            Signed<CooperativeSettle> ours = Signed.sign(channels.settlement(current), channels.contract().domain(), key);
            connection.send(new SettleRequest(ours));
            Signed<CooperativeSettle> theirs = answer.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (!theirs.message().equals(ours.message())
                    || !theirs.isSignedBy(channel.partner(), channels.contract().domain())) {
                throw new TurnpikeException(ErrorCode.WRONG_SIGNER,
                        "the partner's signature does not cover the proposed settlement");
            }
            return channels.settleCooperatively(current, ours, theirs);
        } catch (TimeoutException e) {
            channels.endSettling(channelId);
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, "the partner did not co-sign within " + wait.toSeconds()
                    + " s");
        } catch (ExecutionException e) {
            channels.endSettling(channelId);
            throw e.getCause() instanceof TurnpikeException t ? t
                    : new TurnpikeException(ErrorCode.OUT_OF_ORDER, e.getCause().getMessage());
        } catch (InterruptedException e) {
            channels.endSettling(channelId);
            Thread.currentThread().interrupt();
            throw new TurnpikeException(ErrorCode.OUT_OF_ORDER, "interrupted while waiting for the partner");
        } catch (RuntimeException e) {
            channels.endSettling(channelId);
            throw e;
        } finally {
            pending.remove(channel.partner(), answer);
        }
    }

    /** Handles the settlement messages; returns false for any other. */
    public boolean onMessage(PeerConnection connection, PeerMessage message) {
        switch (message) {
            case SettleRequest request -> cosign(connection, request.settle());
            case SettleSign sign -> Optional.ofNullable(pending.get(connection.remote()))
                    .ifPresent(answer -> answer.complete(sign.settle()));
            case ErrorMessage error -> {
                CompletableFuture<Signed<CooperativeSettle>> answer = pending.get(connection.remote());
                if (answer == null) {
                    return false;
                }
                answer.completeExceptionally(new TurnpikeException(ErrorCode.SETTLEMENT_MISMATCH,
                        "the partner refused to co-sign: [" + error.code() + "] " + error.message()));
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void cosign(PeerConnection connection, Signed<CooperativeSettle> proposal) {
        long channelId = proposal.message().channelId();
        Channel channel = channels.find(channelId).filter(c -> c.partner().equals(connection.remote()))
                .orElseThrow(() -> new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL,
                        "no channel " + channelId + " with " + connection.remote() + " is known"));
        if (channel.state() != ChannelState.OPEN) {
            throw new TurnpikeException(ErrorCode.CHANNEL_NOT_OPEN, "channel " + channelId + " is " + channel.state());
        }
        if (!proposal.isSignedBy(connection.remote(), channels.contract().domain())) {
            throw new TurnpikeException(ErrorCode.WRONG_SIGNER, "the proposal is not signed by " + connection.remote());
        }
        CooperativeSettle expected = channels.settlement(channel);
        if (!expected.equals(proposal.message())) {
            throw new TurnpikeException(ErrorCode.SETTLEMENT_MISMATCH, "this node's view pays A " + expected.payoutA()
                    + " and B " + expected.payoutB() + "; resync the channel and propose again");
        }
        // From here on the channel moves no money, so the signed payouts stay right.
        channels.beginSettling(channelId);
        connection.send(new SettleSign(Signed.sign(expected, channels.contract().domain(), key)));
    }
}
