package io.turnpike.node.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.node.config.NodeConfig;
import io.turnpike.http.JsonObjectReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docs/api.md is the API's reference: each request on it, sent to a real server, gets the answer it shows. */
class ApiDocTest {

    private static final Pattern HTTP_BLOCK = Pattern.compile("```http\n(.*?)\n```", Pattern.DOTALL);

    @TempDir
    Path dir;

    /** One block of the page: a start line, headers, and a body after the first blank line. */
    private record Message(String startLine, List<String[]> headers, String body) {

        static Message parse(String block) {
            String[] headAndBody = block.split("\n\n", 2);
            List<String> head = List.of(headAndBody[0].split("\n"));
            List<String[]> headers = head.subList(1, head.size()).stream().map(h -> h.split(": ", 2)).toList();
            return new Message(head.get(0), headers, headAndBody.length > 1 ? headAndBody[1] : "");
        }
    }

    @Test
    void everyExampleIsWhatTheServerAnswers() throws IOException, InterruptedException {
        String page = Files.readString(Path.of(System.getProperty("turnpike.repo", "..")).resolve("docs/api.md"));
        List<Message> blocks = new ArrayList<>();
        Matcher matcher = HTTP_BLOCK.matcher(page);
        while (matcher.find()) {
            blocks.add(Message.parse(matcher.group(1)));
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(2 * 12).hasSize(blocks.size() / 2 * 2);

        ApiToken token = ApiServerTest.token(dir, ApiServerTest.TOKEN);
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < blocks.size(); i += 2) {
                Message request = blocks.get(i);
                Message expected = blocks.get(i + 1);
                // A fresh node for each example, so none depends on another having run.
                try (ApiServer server = ApiServer.start(new FakeNodeControl(), new NodeConfig.Endpoint("127.0.0.1", 0),
                        false, token)) {
                    HttpResponse<String> actual = http.send(toRequest(request, server), HttpResponse.BodyHandlers.ofString());
                    check(request.startLine(), expected, actual);
                }
            }
        }
    }

    private static HttpRequest toRequest(Message request, ApiServer server) {
        String[] start = request.startLine().split(" ");
        assertThat(start).as(request.startLine()).hasSize(3);
        assertThat(start[2]).isEqualTo("HTTP/1.1");
        HttpRequest.Builder builder = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.address().getPort() + start[1]));
        for (String[] header : request.headers()) {
            builder.header(header[0], header[1].replace("<token>", ApiServerTest.TOKEN));
        }
        return builder.method(start[0], request.body().isEmpty() ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body())).build();
    }

    private static void check(String request, Message expected, HttpResponse<String> actual) {
        assertThat(expected.startLine()).as(request).startsWith("HTTP/1.1 " + actual.statusCode() + " ");
        for (String[] header : expected.headers()) {
            assertThat(actual.headers().firstValue(header[0])).as(request + ": " + header[0]).contains(header[1]);
        }
        if (actual.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json")) {
            assertThat(JsonObjectReader.MAPPER.readTree(actual.body())).as(request)
                    .isEqualTo(JsonObjectReader.MAPPER.readTree(expected.body()));
        } else {
            // The page may show an excerpt of a long text answer.
            assertThat(actual.body().lines()).as(request).containsSubsequence(expected.body().lines().toList());
        }
    }
}
