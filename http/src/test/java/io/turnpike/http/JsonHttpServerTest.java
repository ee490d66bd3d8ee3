package io.turnpike.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.http.LimitProbe.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class JsonHttpServerTest {

    private static final InetSocketAddress ANY_LOOPBACK_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void aFatalErrorIsHandedToTheHookOnceHoweverManyRequestsMeetIt() throws IOException {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        OutOfMemoryError fatal = new OutOfMemoryError("Java heap space (thrown by the test)");
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API", HttpLimits.defaults(),
                reported::add);
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface, call -> {
            throw fatal;
        })) {
            LimitProbe probe = new LimitProbe(server.address(), "");

            Answer first = probe.get("/status");
            Answer second = probe.get("/status");

            assertThat(reported).containsExactly(fatal);
            assertThat(List.of(first, second)).containsOnly(new Answer(500, "internal"));
        }
    }

    @Test
    void whatIsNotHttpIsRefusedInTheSurfacesOwnErrorBody() throws IOException {
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API", HttpLimits.defaults(),
                FatalErrors::exitProcess);
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface,
                call -> answer(200, "answered"))) {
            LimitProbe probe = new LimitProbe(server.address(), "");

            assertThat(probe.sendOnly("HELLO\r\n\r\n")).isEqualTo(new Answer(400, "bad_request"));
        }
    }

    @Test
    void aSurfaceWithAFormatOfItsOwnHasTheServersRefusalsWrittenInIt() throws IOException {
        JsonHttpServer.RefusalFormat own = (code, message) -> answer(code.httpStatus() == 413 ? 400 : code.httpStatus(),
                "own:" + code.code());
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API",
                HttpLimits.defaults().withMaxBodyBytes(16), FatalErrors::exitProcess, own);
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface, call -> {
            call.body();
            return answer(200, "answered");
        })) {
            LimitProbe probe = new LimitProbe(server.address(), "");

            assertThat(probe.postWithBodyOf("/", "{}", 16)).isEqualTo(new Answer(200, "answered"));
            assertThat(probe.postWithBodyOf("/", "{}", 17)).isEqualTo(new Answer(400, "own:body_too_large"));
            assertThat(probe.sendOnly("HELLO\r\n\r\n")).isEqualTo(new Answer(400, "own:bad_request"));
        }
    }

    @Test
    void basicCredentialsAreTheUserAndEverythingAfterTheFirstColon() throws IOException {
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API", HttpLimits.defaults(),
                FatalErrors::exitProcess);
        // The credentials come back as the answer's code, where the probe reads it.
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface, call -> answer(200,
                call.basicCredentials().map(login -> login.user() + "|" + login.password()).orElse("none")))) {

            assertThat(login(server, "Basic " + base64("0xab:to:ken"))).isEqualTo("0xab|to:ken");
            assertThat(login(server, "basic " + base64("0xab:"))).isEqualTo("0xab|");
            assertThat(login(server, "Basic " + base64("no-colon"))).isEqualTo("none");
            assertThat(login(server, "Basic not*base64")).isEqualTo("none");
            assertThat(login(server, "Bearer " + base64("0xab:token"))).isEqualTo("none");
        }
    }

    @Test
    void aSurfaceReadsTheQueryAsSentAndEveryHeaderByName() throws IOException {
        JsonHttpServer.Surface surface = new JsonHttpServer.Surface("test API", HttpLimits.defaults(),
                FatalErrors::exitProcess);
        // What the surface read comes back as the answer's code, where the probe reads it.
        try (JsonHttpServer server = JsonHttpServer.start(ANY_LOOPBACK_PORT, surface, call -> answer(200,
                call.query().orElse("(none)") + " " + call.headerNames().stream().filter(n -> n.startsWith("X-"))
                        .toList() + " " + call.headerValues("x-tag")))) {
            LimitProbe probe = new LimitProbe(server.address(), "X-Tag: a\r\nX-Other: b\r\nx-tag: c, d\r\n");

            assertThat(probe.get("/quotes?symbol=ETH&at=%2Fnow").code())
                    .isEqualTo("symbol=ETH&at=%2Fnow [X-Tag, X-Other] [a, c, d]");
            assertThat(probe.get("/quotes").code()).isEqualTo("(none) [X-Tag, X-Other] [a, c, d]");
        }
    }

    private static String login(JsonHttpServer server, String authorization) {
        return new LimitProbe(server.address(), "Authorization: " + authorization + "\r\n").get("/").code();
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** An answer whose {@code code} field is where the probe reads it, whatever the status. */
    private static HttpReply answer(int status, String code) {
        return HttpReply.json(status, JsonObjectReader.MAPPER.createObjectNode().put("code", code));
    }
}
