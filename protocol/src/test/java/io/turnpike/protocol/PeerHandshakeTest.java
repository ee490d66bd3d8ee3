package io.turnpike.protocol;

import static io.turnpike.protocol.PeerFixtures.ALICE;
import static io.turnpike.protocol.PeerFixtures.BOB;
import static io.turnpike.protocol.PeerFixtures.CONTRACT;
import static io.turnpike.protocol.PeerFixtures.DOMAIN;
import static io.turnpike.protocol.PeerFixtures.MALLORY;
import static io.turnpike.protocol.PeerFixtures.seeded;
import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Handshake;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerHandshake.State;
import io.turnpike.protocol.PeerHandshake.Step;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Hello;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Statement;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The handshake as a pure state machine: each side's steps, checked message by message. */
class PeerHandshakeTest {

    private static final Statement STATEMENT = new Statement(Amount.of(500), Amount.of(400), Amount.of(100));

    @Test
    void bothSidesProveWhoTheyAreAndThenMessagesFlow() {
        PeerHandshake alice = start(ALICE, DOMAIN, 1);
        PeerHandshake bob = start(BOB, DOMAIN, 2);

        Step aliceAnswers = alice.receive(bob.hello());
        Step bobAnswers = bob.receive(alice.hello());
        Step aliceVerifies = aliceAnswers.next().receive(only(bobAnswers));
        Step bobVerifies = bobAnswers.next().receive(only(aliceAnswers));

        assertThat(aliceVerifies.next().remote()).contains(BOB.address());
        assertThat(bobVerifies.next().remote()).contains(ALICE.address());
        assertThat(aliceVerifies.send()).isEmpty();
        Step delivered = bobVerifies.next().receive(STATEMENT);
        assertThat(delivered.deliver()).contains(STATEMENT);
        assertThat(delivered.send()).isEmpty();
        assertThat(delivered.close()).isFalse();
    }

    @Test
    void aHelloFromAnotherChainIsRefusedAsWrongNetworkAndEndsTheConnection() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        Hello elsewhere = start(ALICE, Eip712Domain.turnpike(1, CONTRACT), 1).hello();

        assertFails(bob.receive(elsewhere), ErrorCode.WRONG_NETWORK);
    }

    @Test
    void aHelloForAnotherContractIsRefusedAsWrongNetworkAndEndsTheConnection() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        Hello otherContract = start(ALICE, Eip712Domain.turnpike(DOMAIN.chainId(), Address.ZERO), 1).hello();

        assertFails(bob.receive(otherContract), ErrorCode.WRONG_NETWORK);
    }

    @Test
    void anAuthReplayedFromAnEarlierSessionIsRefused() {
        // Alice and Bob complete a session; Mallory recorded Alice's auth and now claims to be Alice.
        PeerHandshake bobEarlier = start(BOB, DOMAIN, 2);
        Step aliceAnswered = start(ALICE, DOMAIN, 1).receive(bobEarlier.hello());
        Auth recorded = (Auth) only(aliceAnswered);
        assertThat(bobEarlier.receive(aliceAnswered.next().hello()).next().receive(recorded).next().isEstablished())
                .isTrue();

        PeerHandshake bobNow = start(BOB, DOMAIN, 3);
        Hello claimingAlice = new Hello(ALICE.address(), DOMAIN.chainId(), CONTRACT, Bytes32.random(seeded(9)));
        Step replayed = bobNow.receive(claimingAlice).next().receive(recorded);

        assertFails(replayed, ErrorCode.WRONG_SIGNER);
        assertThat(replayed.next().remote()).isEmpty();
    }

    @Test
    void anAuthSignedForAnotherNodeIsRefused() {
        // Mallory relays Bob's challenge to Alice, but Alice's answer names Mallory as the peer, not Bob.
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        Hello claimingAlice = new Hello(ALICE.address(), DOMAIN.chainId(), CONTRACT, Bytes32.random(seeded(9)));
        Handshake aliceToMallory = new Handshake(bob.hello().challenge(), ALICE.address(), MALLORY.address());
        Auth relayed = new Auth(Signed.sign(aliceToMallory, DOMAIN, ALICE).signature());

        assertFails(bob.receive(claimingAlice).next().receive(relayed), ErrorCode.WRONG_SIGNER);
    }

    @Test
    void anAuthSignedOnAnotherChainIsRefused() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        Hello alice = start(ALICE, DOMAIN, 1).hello();
        Handshake answer = new Handshake(bob.hello().challenge(), ALICE.address(), BOB.address());
        Auth otherChain = new Auth(Signed.sign(answer, Eip712Domain.turnpike(1, CONTRACT), ALICE).signature());

        assertFails(bob.receive(alice).next().receive(otherChain), ErrorCode.WRONG_SIGNER);
    }

    @Test
    void impersonationIsRefused() {
        // Mallory claims Alice's address and answers Bob's challenge correctly, but with her own key.
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        Hello claimingAlice = new Hello(ALICE.address(), DOMAIN.chainId(), CONTRACT, Bytes32.random(seeded(9)));
        Handshake answer = new Handshake(bob.hello().challenge(), ALICE.address(), BOB.address());
        Auth signedByMallory = new Auth(Signed.sign(answer, DOMAIN, MALLORY).signature());

        Step step = bob.receive(claimingAlice).next().receive(signedByMallory);

        assertFails(step, ErrorCode.WRONG_SIGNER);
        assertThat(step.next().remote()).isEmpty();
    }

    @Test
    void messagesBeforeTheHandshakeAreRefusedAsUnauthenticatedAndChangeNothing() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        Pay early = new Pay(Signed.sign(new BalanceProof(1, 1, Amount.of(10)), DOMAIN, ALICE));

        Step beforeHello = bob.receive(early);
        assertRefused(beforeHello, ErrorCode.UNAUTHENTICATED);
        assertThat(beforeHello.next()).isSameAs(bob);

        PeerHandshake alice = start(ALICE, DOMAIN, 1);
        Step answered = bob.receive(alice.hello());
        Step beforeAuth = answered.next().receive(STATEMENT);
        assertRefused(beforeAuth, ErrorCode.UNAUTHENTICATED);
        assertThat(beforeAuth.next()).isSameAs(answered.next());

        // The handshake still completes afterwards.
        Auth aliceAuth = (Auth) only(alice.receive(bob.hello()));
        assertThat(beforeAuth.next().receive(aliceAuth).next().remote()).contains(ALICE.address());
    }

    @Test
    void handshakeStepsOutOfOrderEndTheHandshake() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        PeerHandshake alice = start(ALICE, DOMAIN, 1);
        Auth aliceAuth = (Auth) only(alice.receive(bob.hello()));

        assertFails(bob.receive(aliceAuth), ErrorCode.OUT_OF_ORDER);
        assertFails(bob.receive(alice.hello()).next().receive(alice.hello()), ErrorCode.OUT_OF_ORDER);
    }

    @Test
    void handshakeMessagesAfterItAreRefusedAsOutOfOrderButTheConnectionStays() {
        PeerHandshake alice = start(ALICE, DOMAIN, 1);
        PeerHandshake established = establishedBobWithAlice();
        Auth aliceAuth = (Auth) only(alice.receive(start(BOB, DOMAIN, 2).hello()));

        for (PeerMessage late : new PeerMessage[] {alice.hello(), aliceAuth}) {
            Step step = established.receive(late);
            assertRefused(step, ErrorCode.OUT_OF_ORDER);
            assertThat(step.next().remote()).contains(ALICE.address());
        }
    }

    @Test
    void aChannelOnAnotherChainOrContractIsRefusedAsWrongNetworkOnceEstablished() {
        PeerHandshake established = establishedBobWithAlice();
        ChannelSync ours = new ChannelSync(7, DOMAIN.chainId(), CONTRACT, 3, 2);

        assertThat(established.receive(ours).deliver()).contains(ours);
        assertRefused(established.receive(new ChannelSync(7, 1, CONTRACT, 3, 2)), ErrorCode.WRONG_NETWORK);
        assertRefused(established.receive(new ChannelSync(7, DOMAIN.chainId(), Address.ZERO, 3, 2)),
                ErrorCode.WRONG_NETWORK);
    }

    @Test
    void aDialledNodeThatTurnsOutToBeAnotherIsRefused() {
        PeerHandshake dialsBob = PeerHandshake.start(ALICE, DOMAIN, seeded(1), Optional.of(BOB.address()));

        assertFails(dialsBob.receive(start(MALLORY, DOMAIN, 3).hello()), ErrorCode.UNEXPECTED_PEER);
        assertThat(dialsBob.receive(start(BOB, DOMAIN, 2).hello()).next().state()).isEqualTo(State.AWAITING_AUTH);
    }

    @Test
    void aPeerClaimingThisNodesOwnAddressIsRefused() {
        // Otherwise a peer could echo Bob's hello and reflect Bob's own auth back at him.
        PeerHandshake bob = start(BOB, DOMAIN, 2);

        assertFails(bob.receive(bob.hello()), ErrorCode.UNEXPECTED_PEER);
    }

    @Test
    void anUndecodableFrameEndsAHandshakeButNotAnEstablishedConnection() {
        TurnpikeException garbage = new TurnpikeException(ErrorCode.MALFORMED_MESSAGE, "not JSON");
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        assertFails(bob.rejected(garbage), ErrorCode.MALFORMED_MESSAGE);

        PeerHandshake established = establishedBobWithAlice();
        Step afterwards = established.rejected(garbage);
        assertRefused(afterwards, ErrorCode.MALFORMED_MESSAGE);
        assertThat(afterwards.next()).isSameAs(established);
    }

    @Test
    void aHandshakeThatTakesTooLongFailsAsUnauthenticated() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);

        assertFails(bob.timedOut(Duration.ofSeconds(10)), ErrorCode.UNAUTHENTICATED);
        PeerHandshake established = establishedBobWithAlice();
        assertThat(established.timedOut(Duration.ofSeconds(10)).next()).isSameAs(established);
    }

    @Test
    void aRefusalFromThePeerEndsTheHandshakeWithoutAnswer() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);

        Step step = bob.receive(ErrorMessage.of(ErrorCode.WRONG_NETWORK, "chain 1, not 31337"));

        assertThat(step.send()).isEmpty();
        assertThat(step.close()).isTrue();
        assertThat(step.next().failure()).hasValueSatisfying(failure -> {
            assertThat(failure.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
            assertThat(failure.getMessage()).contains("wrong_network");
        });
    }

    @Test
    void theChallengeIsThirtyTwoBytesFromTheInjectedRandom() {
        byte[] expected = new byte[32];
        seeded(42).nextBytes(expected);

        assertThat(start(BOB, DOMAIN, 42).hello().challenge()).isEqualTo(Bytes32.of(expected));
        assertThat(start(BOB, DOMAIN, 43).hello().challenge()).isNotEqualTo(Bytes32.of(expected));
        assertThat(start(BOB, DOMAIN, 42).hello().address()).isEqualTo(BOB.address());
    }

    private static PeerHandshake start(PrivateKey key, Eip712Domain domain, long seed) {
        return PeerHandshake.start(key, domain, seeded(seed), Optional.empty());
    }

    /** Bob's side after a complete handshake with Alice. */
    private static PeerHandshake establishedBobWithAlice() {
        PeerHandshake bob = start(BOB, DOMAIN, 2);
        PeerHandshake alice = start(ALICE, DOMAIN, 1);
        Auth aliceAuth = (Auth) only(alice.receive(bob.hello()));
        PeerHandshake established = bob.receive(alice.hello()).next().receive(aliceAuth).next();
        assertThat(established.remote()).contains(ALICE.address());
        return established;
    }

    private static PeerMessage only(Step step) {
        assertThat(step.send()).hasSize(1);
        return step.send().getFirst();
    }

    /** The step answers with an error of {@code code}, closes, and leaves the handshake failed for that reason. */
    private static void assertFails(Step step, ErrorCode code) {
        assertThat(step.send()).containsExactly(ErrorMessage.of(step.next().failure().orElseThrow()));
        assertThat(((ErrorMessage) step.send().getFirst()).code()).isEqualTo(code.code());
        assertThat(step.close()).isTrue();
        assertThat(step.deliver()).isEmpty();
        assertThat(step.next().state()).isEqualTo(State.FAILED);
    }

    /** The step answers with an error of {@code code} and nothing else happens. */
    private static void assertRefused(Step step, ErrorCode code) {
        assertThat(step.send()).singleElement()
                .satisfies(reply -> assertThat(((ErrorMessage) reply).code()).isEqualTo(code.code()));
        assertThat(step.close()).isFalse();
        assertThat(step.deliver()).isEmpty();
    }
}
