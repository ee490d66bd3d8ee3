package io.turnpike.http;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import tools.jackson.databind.JsonNode;

/**
 * A surface's answer: status, content type, body, and the headers of its own ({@code Allow},
 * {@code WWW-Authenticate} …). {@link JsonHttpServer} adds the ones every answer carries.
 */
public record HttpReply(int status, String contentType, byte[] body, Map<String, String> headers) {

    public static final String JSON = "application/json; charset=utf-8";

    public HttpReply {
        headers = Map.copyOf(headers);
    }

    public static HttpReply json(int status, JsonNode body) {
        return new HttpReply(status, JSON, JsonObjectReader.MAPPER.writeValueAsBytes(body), Map.of());
    }

    /** A refusal, as every surface but the JSON-RPC front writes it: {@code {"code": …, "message": …}}. */
    public static HttpReply error(ErrorCode code, String message) {
        return json(code.httpStatus(),
                JsonObjectReader.MAPPER.createObjectNode().put("code", code.code()).put("message", message));
    }

    /**
     * How a JSON surface answers a request its handling failed: a coded refusal as its code says; anything else is
     * a fault of the surface's own, logged with its trace and answered {@code internal} with {@code sentence},
     * never the trace.
     */
    public static HttpReply failure(RuntimeException failed, HttpCall call, Logger log, String sentence) {
        if (failed instanceof TurnpikeException refusal) {
            return error(refusal.code(), refusal.getMessage());
        }
        log.error("{} {} failed", call.method(), call.path(), failed);
        return error(ErrorCode.INTERNAL, sentence);
    }

    public HttpReply withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpReply(status, contentType, body, more);
    }
}
