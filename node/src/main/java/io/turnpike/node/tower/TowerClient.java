package io.turnpike.node.tower;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.http.JsonObjectReader;
import io.turnpike.node.tower.TowerMessages.Receipt;
import io.turnpike.node.tower.TowerMessages.Restore;
import io.turnpike.node.tower.TowerMessages.Restored;
import io.turnpike.node.tower.TowerMessages.Upload;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * One watchtower's HTTP API (docs/operating.md, "Watchtowers"), in the {@link TowerMessages} the tower itself reads
 * and writes. It only carries messages; checking what comes back is the caller's job.
 */
final class TowerClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final NodeConfig.Tower tower;
    private final HttpClient http;

    TowerClient(NodeConfig.Tower tower, HttpClient http) {
        this.tower = tower;
        this.http = http;
    }

    NodeConfig.Tower tower() {
        return tower;
    }

    /**
     * Hands the tower {@code proof} (signed by the partner) with this node's {@code request} to put it on chain.
     *
     * @throws IOException the tower could not be reached or did not answer as a tower does: try again later
     * @throws TurnpikeException the tower understood the request and refused it, with one of its stable codes
     */
    Receipt upload(Signed<BalanceProof> proof, Signed<MonitorRequest> request)
            throws IOException, InterruptedException {
        Upload upload = new Upload(proof, request.message().reward(), request.signature());
        return post("/v1/proofs", upload.toJson(), Receipt::read);
    }

    /** The proofs the tower holds for the node that signed {@code request}: what the node's partners signed for it. */
    List<Signed<BalanceProof>> restore(Signed<RestoreRequest> request) throws IOException, InterruptedException {
        return post("/v1/restore", new Restore(request).toJson(), Restored::read).proofs().stream()
                .map(Upload::proof).toList();
    }

    private <T> T post(String path, ObjectNode body, Function<JsonObjectReader, T> read)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JsonObjectReader.MAPPER.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        TurnpikeException refusal;
        try {
            JsonObjectReader json = JsonObjectReader.parse(response.body());
            if (status == 200) {
                return read.apply(json);
            }
            if (status < 400 || status >= 500) {
                throw new IOException("the tower at " + tower.url() + " answered " + path + " with HTTP " + status);
            }
            String code = json.string("code");
            String message = json.string("message");
            refusal = ErrorCode.fromCode(code).map(known -> new TurnpikeException(known, message))
                    .orElseGet(() -> new TurnpikeException(ErrorCode.BAD_RESPONSE, "[" + code + "] " + message));
        } catch (TurnpikeException unreadable) {
            throw new IOException("the answer of " + tower.url() + " to " + path + " is not a watchtower's: HTTP "
                    + status + ", " + unreadable.getMessage(), unreadable);
        }
        throw refusal;
    }

    private URI endpoint(String path) {
        String base = tower.url().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }
}
