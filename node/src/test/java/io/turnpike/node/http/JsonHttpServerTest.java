package io.turnpike.node.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.node.http.LimitProbe.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JsonHttpServerTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void aFatalErrorIsHandedToTheHookOnceHoweverManyRequestsMeetIt() throws IOException {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        OutOfMemoryError fatal = new OutOfMemoryError("Java heap space (thrown by the test)");
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API", "test.", HttpLimits.defaults(),
                reported::add);
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface, call -> {
            throw fatal;
        })) {
            LimitProbe probe = new LimitProbe(server.address(), "");

            Answer first = probe.get("/status");
            Answer second = probe.get("/status");

            assertThat(reported).containsExactly(fatal);
            assertThat(List.of(first, second)).containsOnly(new Answer(500, "test.internal"));
        }
    }

    @Test
    void whatIsNotHttpIsRefusedInTheSurfacesOwnErrorBody() throws IOException {
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API", "test.", HttpLimits.defaults(),
                FatalErrors::exitProcess);
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface,
                call -> HttpReply.error(200, "answered", "a request reached the surface"))) {
            LimitProbe probe = new LimitProbe(server.address(), "");

            assertThat(probe.sendOnly("HELLO\r\n\r\n")).isEqualTo(new Answer(400, "test.bad_request"));
        }
    }
}
