package io.turnpike.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Cutting answers by bytes agrees with a JSON parser on any document, whatever its spacing and escapes. */
class JsonSlicesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Property(tries = 300)
    void theElementsOfAnArrayAreTheValuesAParserReads(@ForAll("arrays") String array) {
        byte[] bytes = array.getBytes(StandardCharsets.UTF_8);
        JsonNode parsed = JSON.readTree(bytes);

        List<JsonSlices.Range> elements = JsonSlices.elements(bytes, JsonSlices.root(bytes));

        assertThat(elements).hasSize(parsed.size());
        for (int i = 0; i < elements.size(); i++) {
            assertThat(JSON.readTree(elements.get(i).of(bytes))).isEqualTo(parsed.get(i));
        }
    }

    @Property(tries = 300)
    void settingTheIdChangesTheIdAndNothingElse(@ForAll("objects") String object, @ForAll("values") String id) {
        byte[] bytes = object.getBytes(StandardCharsets.UTF_8);
        ObjectNode expected = (ObjectNode) JSON.readTree(bytes);
        expected.set("id", JSON.readTree(id));

        byte[] changed = JsonSlices.withMember(bytes, "id", id.getBytes(StandardCharsets.UTF_8));

        assertThat(JSON.readTree(changed)).isEqualTo(expected);
        JsonSlices.member(bytes, JsonSlices.root(bytes), "id").ifPresent(old -> {
            // Only the id's own bytes were replaced: what precedes and follows it is as it was.
            assertThat(new String(changed, 0, old.start(), StandardCharsets.UTF_8))
                    .isEqualTo(new String(bytes, 0, old.start(), StandardCharsets.UTF_8));
            assertThat(new String(changed, changed.length - (bytes.length - old.end()), bytes.length - old.end(),
                    StandardCharsets.UTF_8)).isEqualTo(new String(bytes, old.end(), bytes.length - old.end(),
                    StandardCharsets.UTF_8));
        });
    }

    @Test
    void aKeyWrittenWithEscapesIsTheMemberAParserReads() {
        byte[] object = "{\"\\u0069d\" : 5, \"a\":1}".getBytes(StandardCharsets.UTF_8);

        byte[] changed = JsonSlices.withMember(object, "id", "7".getBytes(StandardCharsets.UTF_8));

        assertThat(new String(changed, StandardCharsets.UTF_8)).isEqualTo("{\"\\u0069d\" : 7, \"a\":1}");
    }

    @Provide
    Arbitrary<String> arrays() {
        return value(2).list().ofMaxSize(6).flatMap(values -> joined("[", values, "]"));
    }

    @Provide
    Arbitrary<String> objects() {
        Arbitrary<String> keys = Arbitraries.of("id", "jsonrpc", "result", "error", "x\"y", "ïd");
        Arbitrary<String> member = Combinators.combine(keys, value(2))
                .as((key, value) -> JSON.writeValueAsString(key) + " : " + value);
        return member.list().ofMaxSize(5).uniqueElements(m -> m.substring(0, m.indexOf(" : ")))
                .flatMap(members -> joined("{", members, "}"));
    }

    @Provide
    Arbitrary<String> values() {
        return value(1);
    }

    /** A JSON value nested at most {@code depth} deep, written with odd spacing. */
    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().withChars("ab\"\\}],{[: é€\n").ofMaxLength(8).map(JSON::writeValueAsString),
                Arbitraries.of("0", "-1", "1.5e3", "123456789012345678901234567890", "true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> array = value(depth - 1).list().ofMaxSize(3).flatMap(values -> joined("[", values, "]"));
        Arbitrary<String> object = value(depth - 1).list().ofMaxSize(3).map(values -> {
            List<String> members = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                members.add("\"k" + i + "\":" + values.get(i));
            }
            return members;
        }).flatMap(members -> joined("{", members, "}"));
        return Arbitraries.oneOf(scalar, array, object);
    }

    private static Arbitrary<String> joined(String open, List<String> items, String close) {
        return Arbitraries.of("", " ", "\n\t", "\r\n  ").list().ofSize(2 * items.size() + 2).map(spaces -> {
            StringBuilder out = new StringBuilder(spaces.getFirst()).append(open);
            for (int i = 0; i < items.size(); i++) {
                out.append(i > 0 ? "," : "").append(spaces.get(2 * i + 1)).append(items.get(i))
                        .append(spaces.get(2 * i + 2));
            }
            return out.append(close).append(spaces.getLast()).toString();
        });
    }
}
