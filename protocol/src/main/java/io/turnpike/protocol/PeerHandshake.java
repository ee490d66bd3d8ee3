package io.turnpike.protocol;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Handshake;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One side of the mutual signed handshake, and after it the gate every inbound message passes. Pure and
 * immutable: each input returns a {@link Step} — the next state, what to send, what to hand to the node, whether
 * to close — so the whole protocol is testable without a socket.
 *
 * <p>Both sides send {@code hello} at once. On the other's hello a side checks chain and contract and answers
 * with {@code auth}: its signature over the other's challenge, its own address and the other's. On the other's
 * auth it checks that the signature recovers to the address the hello claimed; then the connection is bound to
 * the two addresses and to that chain and contract, so a {@code channel} naming another is refused too. Before
 * that, any other message is refused as {@code unauthenticated} and changes nothing; a broken handshake (wrong
 * network, bad signature, out-of-order step, undecodable frame) ends the connection.
 */
final class PeerHandshake {

    enum State {
        /** Our hello is sent; theirs has not arrived. */
        AWAITING_HELLO,
        /** Their hello is accepted and our auth sent; their auth has not arrived. */
        AWAITING_AUTH,
        /** Both proved who they are; messages flow to the node. */
        ESTABLISHED,
        /** The handshake broke; the connection is closing. */
        FAILED
    }

    /**
     * What one input does.
     *
     * @param send messages to send now, in order
     * @param deliver a message for the node, only ever once established
     * @param close whether to close the connection after sending
     */
    record Step(PeerHandshake next, List<PeerMessage> send, Optional<PeerMessage> deliver, boolean close) {
    }

    private final PrivateKey key;
    private final Eip712Domain domain;
    private final Optional<Address> expectedPeer;
    private final Hello hello;
    private final State state;
    private final Optional<Hello> theirHello;
    private final Optional<TurnpikeException> failure;

    private PeerHandshake(PrivateKey key, Eip712Domain domain, Optional<Address> expectedPeer, Hello hello,
                          State state, Optional<Hello> theirHello, Optional<TurnpikeException> failure) {
        this.key = key;
        this.domain = domain;
        this.expectedPeer = expectedPeer;
        this.hello = hello;
        this.state = state;
        this.theirHello = theirHello;
        this.failure = failure;
    }

    /**
     * A handshake about to send {@link #hello()}, with a fresh challenge from {@code random}.
     *
     * @param expectedPeer the node that was dialled, if any: a peer proving another identity is refused
     */
    static PeerHandshake start(PrivateKey key, Eip712Domain domain, SecureRandom random,
                               Optional<Address> expectedPeer) {
        Hello hello = new Hello(key.address(), domain.chainId(), domain.verifyingContract(), Bytes32.random(random));
        return new PeerHandshake(key, domain, Objects.requireNonNull(expectedPeer, "expectedPeer"), hello,
                State.AWAITING_HELLO, Optional.empty(), Optional.empty());
    }

    /** The first message this side sends. */
    Hello hello() {
        return hello;
    }

    State state() {
        return state;
    }

    boolean isEstablished() {
        return state == State.ESTABLISHED;
    }

    /** The peer's proven address, once established. */
    Optional<Address> remote() {
        return isEstablished() ? theirHello.map(Hello::address) : Optional.empty();
    }

    /** Why the handshake failed, once it has. */
    Optional<TurnpikeException> failure() {
        return failure;
    }

    Step receive(PeerMessage message) {
        return switch (state) {
            case FAILED -> stay();
            case ESTABLISHED -> afterHandshake(message);
            case AWAITING_HELLO, AWAITING_AUTH -> switch (message) {
                case Hello theirs when state == State.AWAITING_HELLO -> answer(theirs);
                case Auth auth when state == State.AWAITING_AUTH -> verify(auth);
                case Hello ignored -> fail(ErrorCode.OUT_OF_ORDER, "a second hello; the handshake is abandoned");
                case Auth ignored -> fail(ErrorCode.OUT_OF_ORDER, "auth before hello; the handshake is abandoned");
                // An error is never answered with an error, so two nodes cannot bounce refusals forever.
                case ErrorMessage error -> failQuietly(new TurnpikeException(ErrorCode.UNAUTHENTICATED,
                        "the peer refused the handshake: " + error.code() + ": " + error.message()));
                default -> refuse(ErrorCode.UNAUTHENTICATED,
                        message.type() + " before the handshake completed; send hello and auth first");
            };
        };
    }

    /**
     * A frame that could not be decoded. Before the handshake the peer is not speaking this protocol and the
     * connection ends; after it, one bad frame is refused and the connection stays, so a bug in one message
     * does not drop a paying peer.
     */
    Step rejected(TurnpikeException refusal) {
        return switch (state) {
            case FAILED -> stay();
            case ESTABLISHED -> new Step(this, List.of(ErrorMessage.of(refusal)), Optional.empty(), false);
            case AWAITING_HELLO, AWAITING_AUTH -> fail(refusal);
        };
    }

    /** The handshake did not complete within {@code limit}. */
    Step timedOut(Duration limit) {
        return state == State.ESTABLISHED || state == State.FAILED
                ? stay()
                : fail(ErrorCode.UNAUTHENTICATED, "the handshake did not complete within " + limit.toMillis() + " ms");
    }

    private Step afterHandshake(PeerMessage message) {
        if (message instanceof Hello || message instanceof Auth) {
            return refuse(ErrorCode.OUT_OF_ORDER, "the handshake is complete; " + message.type() + " was ignored");
        }
        // The handshake bound this connection to one chain and contract; a channel elsewhere is not ours.
        if (message instanceof ChannelSync sync && !isOurNetwork(sync.chainId(), sync.contract())) {
            return refuse(ErrorCode.WRONG_NETWORK, "channel " + sync.channelId() + " is on chain " + sync.chainId()
                    + " through " + sync.contract() + "; this connection is " + network());
        }
        return new Step(this, List.of(), Optional.of(message), false);
    }

    private Step answer(Hello theirs) {
        if (!isOurNetwork(theirs.chainId(), theirs.contract())) {
            return fail(ErrorCode.WRONG_NETWORK, "this node pays " + network() + "; the peer on chain "
                    + theirs.chainId() + " through " + theirs.contract());
        }
        if (theirs.address().equals(key.address())) {
            // Both addresses equal would let a peer reflect this node's own auth back at it.
            return fail(ErrorCode.UNEXPECTED_PEER, "the peer claims this node's own address " + key.address());
        }
        if (expectedPeer.isPresent() && !expectedPeer.get().equals(theirs.address())) {
            return fail(ErrorCode.UNEXPECTED_PEER, "dialled " + expectedPeer.get() + " but the peer is "
                    + theirs.address());
        }
        Handshake signed = new Handshake(theirs.challenge(), key.address(), theirs.address());
        Auth auth = new Auth(Signed.sign(signed, domain, key).signature());
        return new Step(with(State.AWAITING_AUTH, Optional.of(theirs), Optional.empty()), List.of(auth),
                Optional.empty(), false);
    }

    private Step verify(Auth auth) {
        Address claimed = theirHello.orElseThrow().address();
        Signed<Handshake> proof = new Signed<>(new Handshake(hello.challenge(), claimed, key.address()),
                auth.signature());
        Address signer;
        try {
            signer = proof.signer(domain);
        } catch (TurnpikeException unrecoverable) {
            return fail(unrecoverable);
        }
        if (!signer.equals(claimed)) {
            return fail(ErrorCode.WRONG_SIGNER, "the auth does not prove " + claimed + " answered this connection's "
                    + "challenge; it is signed by another key, over another challenge, or for another node");
        }
        return new Step(with(State.ESTABLISHED, theirHello, Optional.empty()), List.of(), Optional.empty(), false);
    }

    private boolean isOurNetwork(long chainId, Address contract) {
        return chainId == domain.chainId() && contract.equals(domain.verifyingContract());
    }

    private String network() {
        return "on chain " + domain.chainId() + " through contract " + domain.verifyingContract();
    }

    private Step stay() {
        return new Step(this, List.of(), Optional.empty(), false);
    }

    private Step refuse(ErrorCode code, String message) {
        return new Step(this, List.of(ErrorMessage.of(code, message)), Optional.empty(), false);
    }

    private Step fail(ErrorCode code, String message) {
        return fail(new TurnpikeException(code, message));
    }

    private Step fail(TurnpikeException reason) {
        return new Step(with(State.FAILED, theirHello, Optional.of(reason)), List.of(ErrorMessage.of(reason)),
                Optional.empty(), true);
    }

    private Step failQuietly(TurnpikeException reason) {
        return new Step(with(State.FAILED, theirHello, Optional.of(reason)), List.of(), Optional.empty(), true);
    }

    private PeerHandshake with(State next, Optional<Hello> theirs, Optional<TurnpikeException> reason) {
        return new PeerHandshake(key, domain, expectedPeer, hello, next, theirs, reason);
    }
}
