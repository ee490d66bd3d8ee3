package io.turnpike.http.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.http.JsonObjectReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** The contract every fuzz target of a JSON request body asserts, as the surfaces read their bodies. */
public final class FuzzedBodies {

    private FuzzedBodies() {
    }

    /** What {@code body} reads as, or empty when it is refused — which must be with an input code. */
    public static <T> Optional<T> readOrRefused(byte[] body, Function<JsonObjectReader, T> reader, String docs) {
        try {
            return Optional.of(JsonObjectReader.readRequest(body, reader, docs));
        } catch (TurnpikeException refused) {
            assertInputRefusal(refused);
            return Optional.empty();
        }
    }

    /** {@code written} read again, as the other side will read it. */
    public static <T> T reread(JsonNode written, Function<JsonObjectReader, T> reader, String docs) {
        return JsonObjectReader.readRequest(written.toString().getBytes(StandardCharsets.UTF_8), reader, docs);
    }

    public static void assertInputRefusal(TurnpikeException refused) {
        assertThat(refused.code().kind()).as(refused.toString()).isEqualTo(ErrorCode.Kind.BAD_INPUT);
    }
}
