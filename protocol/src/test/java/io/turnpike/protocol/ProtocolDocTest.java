package io.turnpike.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.Address;
import io.turnpike.protocol.PeerMessage.Pay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/protocol.md is the peer protocol's reference: its examples must be what the code reads. */
class ProtocolDocTest {

    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)\\n```", Pattern.DOTALL);

    @Test
    void everyDocumentedExampleDecodes() throws IOException {
        List<PeerMessage> examples = examples();

        assertThat(examples).isNotEmpty();
    }

    @Test
    void everyMessageTypeHasADocumentedExample() throws IOException {
        Set<Class<?>> documented = examples().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Arrays.asList(PeerMessage.class.getPermittedSubclasses()));
    }

    @Test
    void theDocumentedPaymentIsSignedByAlice() throws IOException {
        Pay pay = examples().stream().filter(Pay.class::isInstance).map(Pay.class::cast).findFirst().orElseThrow();

        assertThat(pay.proof().isSignedBy(Address.of("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"),
                PeerFixtures.DOMAIN)).isTrue();
    }

    /** Every ```json block of the page, decoded: a block the codec refuses fails the test. */
    private static List<PeerMessage> examples() throws IOException {
        String page = Files.readString(repository().resolve("docs/protocol.md"));
        return JSON_BLOCK.matcher(page).results().map(block -> PeerCodec.decode(block.group(1))).toList();
    }

    private static Path repository() {
        return Path.of(System.getProperty("turnpike.repo", ".."));
    }
}
