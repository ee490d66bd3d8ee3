package io.turnpike.protocol;

import static io.turnpike.protocol.PeerFixtures.ALICE;
import static io.turnpike.protocol.PeerFixtures.DOMAIN;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.Handshake;
import io.turnpike.core.channel.Signed;
import io.turnpike.protocol.PeerMessage.Auth;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A stranger's frames, one per line, fed to the node's side of the handshake as the transport feeds them: decoded,
 * or refused by the codec. Whatever arrives, the gate never delivers a message before both sides proved their keys,
 * establishes only on an auth that the claimed key really signed over this connection's challenge, refuses a bad
 * message without changing its state, and stays silent once failed. In this package because the handshake is
 * package-private; the seed corpus holds a real handshake by Bob (challenge from {@code seeded(1)}), so the fuzzer
 * reaches the established state too. Run as a campaign with {@code ./turnpike fuzz PeerHandshakeFuzzTest}.
 */
class PeerHandshakeFuzzTest {

    /** More frames than a handshake and a few messages after it add nothing but time. */
    private static final int MAX_FRAMES = 16;

    @FuzzTest(maxDuration = "30s")
    void onlyAProvenKeyGetsThrough(byte[] input) {
        PeerHandshake handshake = PeerHandshake.start(ALICE, DOMAIN, PeerFixtures.seeded(1), Optional.empty());
        for (String frame : new String(input, StandardCharsets.UTF_8).split("\n", MAX_FRAMES)) {
            Optional<PeerMessage> decoded;
            PeerHandshake.Step step;
            try {
                decoded = Optional.of(PeerCodec.decode(frame));
                step = handshake.receive(decoded.get());
            } catch (TurnpikeException refused) {
                assertThat(refused.code().kind()).as(refused.toString()).isNotEqualTo(ErrorCode.Kind.INTERNAL);
                decoded = Optional.empty();
                step = handshake.rejected(refused);
            }
            assertLawful(handshake, decoded, step);
            handshake = step.next();
        }
    }

    private static void assertLawful(PeerHandshake before, Optional<PeerMessage> received, PeerHandshake.Step step) {
        PeerHandshake after = step.next();
        if (before.state() == PeerHandshake.State.FAILED) {
            assertThat(after).isSameAs(before);
            assertThat(step.send()).isEmpty();
        }
        if (step.deliver().isPresent()) {
            assertThat(before.isEstablished()).as("delivered before the handshake").isTrue();
            assertThat(after).isSameAs(before);
        }
        if (step.close()) {
            assertThat(after.state()).isEqualTo(PeerHandshake.State.FAILED);
            assertThat(after.failure()).isPresent();
        } else if (step.send().stream().anyMatch(ErrorMessage.class::isInstance)) {
            assertThat(after).as("a refused message changed the handshake").isSameAs(before);
        }
        if (after.isEstablished() && !before.isEstablished()) {
            Address remote = after.remote().orElseThrow();
            Auth auth = (Auth) received.orElseThrow();
            Signed<Handshake> proof = new Signed<>(new Handshake(before.hello().challenge(), remote, ALICE.address()),
                    auth.signature());
            assertThat(proof.isSignedBy(remote, DOMAIN)).as("established without proof").isTrue();
        }
    }
}
