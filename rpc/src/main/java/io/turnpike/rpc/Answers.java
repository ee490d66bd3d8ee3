package io.turnpike.rpc;

import io.turnpike.http.HttpReply;
import io.turnpike.core.ErrorCode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The JSON the front and the entry write themselves: their own errors, batches of answers, and the HTTP replies. */
final class Answers {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CONTENT_TYPE = "application/json";
    static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private Answers() {
    }

    /** A JSON-RPC error answering the call with {@code id} (its bytes as the client sent them). */
    static byte[] error(byte[] id, RpcRefusal refusal, String message) {
        ObjectNode error = errorObject(refusal, message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(id);
        out.writeBytes(",\"error\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(JSON.writeValueAsBytes(error));
        out.write('}');
        return out.toByteArray();
    }

    /** A JSON-RPC answer with {@code result} (its bytes) to the call with {@code id}. */
    static byte[] result(byte[] id, byte[] result) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"jsonrpc\":\"2.0\",\"id\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(id);
        out.writeBytes(",\"result\":".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(result);
        out.write('}');
        return out.toByteArray();
    }

    /** A JSON-RPC error object: {@code {"code": …, "message": …, "data": {"turnpike": "stable_code"}}}. */
    static ObjectNode errorObject(RpcRefusal refusal, String message) {
        ObjectNode error = JSON.createObjectNode();
        error.put("code", refusal.jsonRpcCode());
        error.put("message", message);
        error.putObject("data").put("turnpike", refusal.code().code());
        return error;
    }

    /** An error answering a request as a whole, whose calls cannot be told apart. */
    static byte[] error(RpcRefusal refusal, String message) {
        return error(NULL, refusal, message);
    }

    /** A JSON body (none for a 204) with the headers given. */
    static HttpReply reply(int status, byte[] body, Map<String, String> headers) {
        return new HttpReply(status, CONTENT_TYPE, body, headers);
    }

    /** A refusal that is the whole answer, at its HTTP status. */
    static HttpReply refusal(RpcRefusal refusal, String message) {
        return reply(refusal.httpStatus(), error(refusal, message), Map.of());
    }

    /** The HTTP server's own refusals, written as the front's and the entry's ({@link RpcRefusal#of}). */
    static HttpReply serverRefusal(ErrorCode refusal, String message) {
        return refusal(RpcRefusal.of(refusal), message);
    }

    /** {@code [a,b,…]}: each element's bytes as they are. */
    static byte[] array(List<byte[]> elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('[');
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(elements.get(i));
        }
        out.write(']');
        return out.toByteArray();
    }
}
