package io.turnpike.rpc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One call of a request, as the client sent it: its bytes, which go upstream unchanged but for the id, and what the
 * front reads of it to price it.
 *
 * @param raw the call object's bytes
 * @param id the bytes of the client's id, empty for a notification (which gets no answer)
 */
record RpcCall(byte[] raw, Optional<byte[]> id, String method, JsonNode params) {

    /** The id to answer with: the client's own bytes, or {@code null}. */
    byte[] answerId() {
        return id.orElse(Answers.NULL);
    }

    boolean isNotification() {
        return id.isEmpty();
    }

    /**
     * The call as sent upstream, numbered {@code upstreamId} so its answer is found by that number whatever ids the
     * client chose (duplicates and {@code null} included); a notification is numbered too, and its answer dropped.
     */
    byte[] numbered(int upstreamId) {
        return JsonSlices.withMember(raw, "id", Integer.toString(upstreamId).getBytes(StandardCharsets.US_ASCII));
    }
}
