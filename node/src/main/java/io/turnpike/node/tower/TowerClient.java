package io.turnpike.node.tower;

import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.RestoreRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Signature;
import io.turnpike.node.config.NodeConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One watchtower's HTTP API (docs/operating.md, "Watchtowers"): JSON, every number a decimal string so no reader
 * rounds it. It only carries messages; checking what comes back is the caller's job.
 */
final class TowerClient {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** The tower understood the request and refused it, with one of its stable codes (stale_proof, unknown_channel …). */
    static final class Refused extends Exception {
        private final int status;
        private final String code;

        Refused(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        int status() {
            return status;
        }

        String code() {
            return code;
        }
    }

    /** The tower's answer to an upload: which proof it says it now holds, and its signature over the receipt. */
    record Acknowledgement(long channelId, long nonce, Signature receipt) {
    }

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
     */
    Acknowledgement upload(Signed<BalanceProof> proof, Signed<MonitorRequest> request)
            throws IOException, InterruptedException, Refused {
        ObjectNode body = JSON.createObjectNode();
        body.set("proof", proofJson(proof));
        body.putObject("request")
                .put("reward", request.message().reward().value().toString())
                .put("signature", request.signature().toHex());
        JsonNode answer = post("/v1/proofs", body);
        return parse("/v1/proofs", () -> new Acknowledgement(integer(answer, "channelId"), integer(answer, "nonce"),
                Signature.fromHex(text(answer, "receipt"))));
    }

    /** The proofs the tower holds for the node that signed {@code request}: what the node's partners signed for it. */
    List<Signed<BalanceProof>> restore(Signed<RestoreRequest> request) throws IOException, InterruptedException, Refused {
        ObjectNode body = JSON.createObjectNode()
                .put("node", request.message().node().toString())
                .put("timestamp", Long.toString(request.message().timestamp()))
                .put("signature", request.signature().toHex());
        JsonNode answer = post("/v1/restore", body);
        return parse("/v1/restore", () -> {
            List<Signed<BalanceProof>> proofs = new ArrayList<>();
            for (JsonNode entry : field(answer, "proofs", JsonNode::isArray, "an array")) {
                JsonNode proof = field(entry, "proof", JsonNode::isObject, "an object");
                proofs.add(new Signed<>(new BalanceProof(integer(proof, "channelId"), integer(proof, "nonce"),
                        Amount.of(number(proof, "transferred"))), Signature.fromHex(text(proof, "signature"))));
            }
            return proofs;
        });
    }

    private static ObjectNode proofJson(Signed<BalanceProof> proof) {
        return JSON.createObjectNode()
                .put("channelId", Long.toString(proof.message().channelId()))
                .put("nonce", Long.toString(proof.message().nonce()))
                .put("transferred", proof.message().transferred().value().toString())
                .put("signature", proof.signature().toHex());
    }

    private JsonNode post(String path, ObjectNode body) throws IOException, InterruptedException, Refused {
        HttpRequest request = HttpRequest.newBuilder(endpoint(path))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw badAnswer(path, "HTTP " + response.statusCode() + " without a JSON body");
        }
        if (json == null || !json.isObject()) {
            throw badAnswer(path, "HTTP " + response.statusCode() + " without a JSON object");
        }
        int status = response.statusCode();
        if (status >= 400 && status < 500) {
            throw parse(path, () -> new Refused(status, text(json, "code"), text(json, "message")));
        }
        if (status != 200) {
            throw new IOException("the tower at " + tower.url() + " answered " + path + " with HTTP " + status);
        }
        return json;
    }

    private URI endpoint(String path) {
        String base = tower.url().toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path);
    }

    private IOException badAnswer(String path, String problem) {
        return new IOException("the answer of " + tower.url() + " to " + path + " is not a watchtower's: " + problem);
    }

    /** Reads an answer; a field that is missing or of the wrong shape makes it not a tower's answer. */
    private <T> T parse(String path, Supplier<T> reading) throws IOException {
        try {
            return reading.get();
        } catch (TurnpikeException | IllegalArgumentException | ArithmeticException e) {
            throw badAnswer(path, e.getMessage());
        }
    }

    private static JsonNode field(JsonNode json, String name, Predicate<JsonNode> shape, String expected) {
        JsonNode value = json.get(name);
        if (value == null || !shape.test(value)) {
            throw new IllegalArgumentException("field '" + name + "' is not " + expected);
        }
        return value;
    }

    private static String text(JsonNode json, String name) {
        return field(json, name, JsonNode::isString, "a string").stringValue();
    }

    private static BigInteger number(JsonNode json, String field) {
        String digits = text(json, field);
        if (!digits.matches("0|[1-9][0-9]{0,77}")) {
            throw new IllegalArgumentException("field '" + field + "' is not a whole number: '" + digits + "'");
        }
        return new BigInteger(digits);
    }

    private static long integer(JsonNode json, String field) {
        return number(json, field).longValueExact();
    }
}
