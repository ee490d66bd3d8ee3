package io.turnpike.rpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body read: one call, or a batch of them, each either a call or an element that is not one (answered with
 * {@code invalid_request} in its place).
 */
record RpcRequest(boolean batch, List<Element> elements) {

    sealed interface Element {
    }

    /** An element that is not a JSON-RPC call; answered with its id if it has a usable one, else {@code null}. */
    record NotACall(byte[] id, String problem) implements Element {
    }

    /** A call, priced or refused by the front. */
    record Call(RpcCall call) implements Element {
    }

    /** Duplicate keys are refused: the front and the upstream must read the same call. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    RpcRequest {
        elements = List.copyOf(elements);
    }

    /** @throws RpcRefused {@code parse_error} or {@code invalid_request} for the body as a whole */
    static RpcRequest read(byte[] body) throws RpcRefused {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new RpcRefused(RpcRefusal.PARSE_ERROR, "the body is not JSON (" + e.getOriginalMessage()
                    + "); send a JSON-RPC 2.0 request object or an array of them");
        }
        if (root == null || root.isMissingNode()) {
            throw new RpcRefused(RpcRefusal.PARSE_ERROR, "the body is empty; send a JSON-RPC 2.0 request object");
        }
        JsonSlices.Range whole = JsonSlices.root(body);
        if (root.isObject()) {
            return new RpcRequest(false, List.of(element(root, whole.of(body))));
        }
        if (!root.isArray() || root.isEmpty()) {
            throw new RpcRefused(RpcRefusal.INVALID_REQUEST, "a request is a JSON-RPC 2.0 object or a non-empty array "
                    + "of them");
        }
        List<JsonSlices.Range> slices = JsonSlices.elements(body, whole);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            elements.add(element(root.get(i), slices.get(i).of(body)));
        }
        return new RpcRequest(true, elements);
    }

    private static Element element(JsonNode node, byte[] raw) {
        if (!node.isObject()) {
            return new NotACall(Answers.NULL, "a call is a JSON object with a method");
        }
        JsonNode id = node.get("id");
        if (id != null && !id.isString() && !id.isNumber() && !id.isNull()) {
            return new NotACall(Answers.NULL, "a call's id is a string, a number or null");
        }
        Optional<byte[]> idBytes = id == null ? Optional.empty()
                : JsonSlices.member(raw, JsonSlices.root(raw), "id").map(r -> r.of(raw));
        JsonNode method = node.get("method");
        if (method == null || !method.isString()) {
            return new NotACall(idBytes.orElse(Answers.NULL), "a call names its method as a string");
        }
        // Absent or null params are no params, as clients send them.
        JsonNode params = node.path("params");
        if (!params.isMissingNode() && !params.isNull() && !params.isArray() && !params.isObject()) {
            return new NotACall(idBytes.orElse(Answers.NULL), "a call's params are an array or an object");
        }
        return new Call(new RpcCall(raw, idBytes, method.stringValue(), params));
    }
}
