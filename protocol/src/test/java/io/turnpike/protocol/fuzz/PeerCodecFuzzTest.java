package io.turnpike.protocol.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.protocol.PeerCodec;
import io.turnpike.protocol.PeerMessage;
import java.nio.charset.StandardCharsets;

/**
 * Any text frame a stranger sends to the peer port, before or after the handshake: {@link PeerCodec#decode} either
 * returns a message that survives encoding again, or refuses with a coded input error — never another exception.
 * Run as a campaign with {@code ./turnpike fuzz PeerCodecFuzzTest}; the corpus in {@code PeerCodecFuzzTestInputs}
 * runs with the tests.
 */
class PeerCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodesOrRefusesWithACode(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        PeerMessage message;
        try {
            message = PeerCodec.decode(text);
        } catch (TurnpikeException refused) {
            assertThat(refused.code().kind()).as(refused.toString()).isNotEqualTo(ErrorCode.Kind.INTERNAL);
            return;
        }
        assertThat(PeerCodec.decode(PeerCodec.encode(message))).isEqualTo(message);
    }
}
