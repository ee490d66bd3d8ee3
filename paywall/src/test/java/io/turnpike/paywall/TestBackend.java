package io.turnpike.paywall;

import io.turnpike.http.HttpLimits;
import io.turnpike.http.HttpReply;
import io.turnpike.http.JsonHttpServer;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * The API a paywall sells: answers {@code {"path": …, "query": …, "payer": …, "headers": {name: [values]}}}, with
 * {@code "pad"} of N characters for the query {@code pad=N} (answers of a size the test picks), and 500 on
 * {@code /fail}. It counts what reached it, so a test sees whether a refused payment was served anyway.
 */
final class TestBackend implements AutoCloseable {

    private final AtomicInteger served = new AtomicInteger();
    private final JsonHttpServer http;

    TestBackend() {
        try {
            http = JsonHttpServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    new JsonHttpServer.Surface("test backend", HttpLimits.defaults(), failure -> { }), call -> {
                        served.incrementAndGet();
                        int status = call.path().endsWith("/fail") ? 500 : 200;
                        ObjectNode answer = JsonObjectReader.MAPPER.createObjectNode()
                                .put("path", call.path())
                                .put("query", call.query().orElse(""))
                                .put("payer", call.header(Backend.PAYER_HEADER));
                        call.query().filter(q -> q.startsWith("pad=")).ifPresent(q -> answer.put("pad",
                                "x".repeat(Integer.parseInt(q.substring("pad=".length())))));
                        ObjectNode headers = answer.putObject("headers");
                        call.headerNames().forEach(name -> call.headerValues(name)
                                .forEach(headers.withArrayProperty(name.toLowerCase(Locale.ROOT))::add));
                        return HttpReply.json(status, answer);
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + http.address().getPort() + "/v1");
    }

    int served() {
        return served.get();
    }

    @Override
    public void close() {
        http.close();
    }
}
