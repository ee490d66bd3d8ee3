package io.turnpike.relay;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The bytes a stranger sends the relay before it has relayed anything — greeting, RFC 1929 login, CONNECT request —
 * and the reply a provider sends a client's entry: {@link Socks5} reads them or refuses with an {@link IOException}
 * (a {@link SocksRefusal} where the client gets a reply code), never another exception, and never reads more than
 * the one-byte lengths allow. In this package because the parser is package-private; run as a campaign with
 * {@code ./turnpike fuzz Socks5FuzzTest}.
 */
class Socks5FuzzTest {

    @FuzzTest(maxDuration = "30s")
    void readsTheServerHandshakeOrRefuses(byte[] sent) {
        InputStream in = new ByteArrayInputStream(sent);
        try {
            if (!Socks5.offers(in, Socks5.USERNAME_PASSWORD)) {
                return;
            }
            Socks5.Credentials login = Socks5.readCredentials(in);
            assertThat(login.username().length() + login.password().length()).isLessThanOrEqualTo(2 * 255);
            assertSurvivesEncoding(Socks5.readConnect(in));
        } catch (IOException refused) {
            // the documented refusal: the server answers it (or closes) and relays nothing
        }
    }

    @FuzzTest(maxDuration = "30s")
    void readsARelayReplyOrRefuses(byte[] sent) {
        try {
            byte[] reply = Socks5.readReply(new ByteArrayInputStream(sent));
            assertThat(reply.length).isLessThanOrEqualTo(3 + 1 + 1 + 255 + 2);
        } catch (IOException refused) {
            // the entry answers its local client with a failure
        }
    }

    private static void assertSurvivesEncoding(Destination target) throws IOException {
        byte[] encoded = target.encode();
        assertThat(Destination.read(new ByteArrayInputStream(encoded)).encode()).isEqualTo(encoded);
    }
}
