package io.turnpike.rpc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Byte ranges of the values inside a JSON document that a parser has already accepted, so that an upstream's answer
 * can be passed on as its own bytes, cut per call, with only the {@code id} put back. Relies on the document being
 * well-formed: it is never given one that was not parsed first.
 */
final class JsonSlices {

    /** The bytes {@code [start, end)} of a document. */
    record Range(int start, int end) {

        byte[] of(byte[] document) {
            return Arrays.copyOfRange(document, start, end);
        }
    }

    private static final JsonMapper KEYS = JsonMapper.builder().build();

    private JsonSlices() {
    }

    /** The whole value the document holds, without the whitespace around it. */
    static Range root(byte[] json) {
        int start = skipSpace(json, 0);
        return new Range(start, valueEnd(json, start));
    }

    /** The elements of the array at {@code array}. */
    static List<Range> elements(byte[] json, Range array) {
        List<Range> elements = new ArrayList<>();
        int i = skipSpace(json, array.start() + 1);
        while (json[i] != ']') {
            int end = valueEnd(json, i);
            elements.add(new Range(i, end));
            i = skipSpace(json, end);
            if (json[i] == ',') {
                i = skipSpace(json, i + 1);
            }
        }
        return elements;
    }

    /** The value of the member {@code name} of the object at {@code object}, if it has one. */
    static Optional<Range> member(byte[] json, Range object, String name) {
        int i = skipSpace(json, object.start() + 1);
        while (json[i] != '}') {
            int keyEnd = valueEnd(json, i);
            String key = key(json, i, keyEnd);
            int value = skipSpace(json, skipSpace(json, keyEnd) + 1); // past the ':'
            int valueEnd = valueEnd(json, value);
            if (key.equals(name)) {
                return Optional.of(new Range(value, valueEnd));
            }
            i = skipSpace(json, valueEnd);
            if (json[i] == ',') {
                i = skipSpace(json, i + 1);
            }
        }
        return Optional.empty();
    }

    /**
     * The object {@code object} (its bytes alone) with the member {@code name} set to {@code value}: its value's bytes
     * replaced, or, if it has none, the member put first. Nothing else of it changes.
     */
    static byte[] withMember(byte[] object, String name, byte[] value) {
        Range whole = root(object);
        Optional<Range> existing = member(object, whole, name);
        if (existing.isPresent()) {
            return replace(object, existing.get(), value);
        }
        int inside = whole.start() + 1;
        boolean empty = object[skipSpace(object, inside)] == '}';
        byte[] member = ("\"" + name + "\":" + new String(value, StandardCharsets.UTF_8) + (empty ? "" : ","))
                .getBytes(StandardCharsets.UTF_8);
        return replace(object, new Range(inside, inside), member);
    }

    /** {@code document} with the bytes of {@code range} replaced by {@code replacement}. */
    static byte[] replace(byte[] document, Range range, byte[] replacement) {
        byte[] out = new byte[document.length - (range.end() - range.start()) + replacement.length];
        System.arraycopy(document, 0, out, 0, range.start());
        System.arraycopy(replacement, 0, out, range.start(), replacement.length);
        System.arraycopy(document, range.end(), out, range.start() + replacement.length,
                document.length - range.end());
        return out;
    }

    private static String key(byte[] json, int start, int end) {
        for (int i = start + 1; i < end - 1; i++) {
            if (json[i] == '\\') {
                // An escaped key, decoded as a parser would decode it.
                return KEYS.readValue(json, start, end - start, String.class);
            }
        }
        return new String(json, start + 1, end - start - 2, StandardCharsets.UTF_8);
    }

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** Where the value starting at {@code start} ends (exclusive). */
    private static int valueEnd(byte[] json, int start) {
        byte first = json[start];
        if (first == '"') {
            return stringEnd(json, start);
        }
        if (first == '{' || first == '[') {
            int depth = 0;
            for (int i = start; i < json.length; i++) {
                byte b = json[i];
                if (b == '"') {
                    i = stringEnd(json, i) - 1;
                } else if (b == '{' || b == '[') {
                    depth++;
                } else if ((b == '}' || b == ']') && --depth == 0) {
                    return i + 1;
                }
            }
            throw new IllegalArgumentException("unterminated JSON value at " + start);
        }
        int i = start;
        while (i < json.length && json[i] != ',' && json[i] != '}' && json[i] != ']' && json[i] != ' '
                && json[i] != '\t' && json[i] != '\n' && json[i] != '\r') {
            i++;
        }
        return i;
    }

    private static int stringEnd(byte[] json, int start) {
        for (int i = start + 1; i < json.length; i++) {
            if (json[i] == '\\') {
                i++;
            } else if (json[i] == '"') {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated JSON string at " + start);
    }
}
