package io.turnpike.node.api;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Reads one JSON object field by field, failing with {@link BadJson} that names the field. The server reads request
 * bodies with it and then {@link #refuseOthers()}, so a misspelt field ("forse") is refused rather than ignored; the
 * client reads responses without that check, so a newer node may add fields.
 */
final class JsonObjectReader {

    /** JSON that is not the expected shape; the message names the field and what it should hold. */
    static final class BadJson extends RuntimeException {
        BadJson(String message) {
            super(message);
        }
    }

    private final JsonNode node;
    /** Where this object sits ("", "used.", "peers[2]."), so a bad field is named in full. */
    private final String prefix;
    private final Set<String> read = new HashSet<>();

    private JsonObjectReader(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    static JsonObjectReader of(JsonNode node) {
        return of(node, "");
    }

    private static JsonObjectReader of(JsonNode node, String prefix) {
        if (node == null || !node.isObject()) {
            throw new BadJson(prefix.isEmpty() ? "expected a JSON object"
                    : "field '" + prefix.substring(0, prefix.length() - 1) + "' must be a JSON object");
        }
        return new JsonObjectReader(node, prefix);
    }

    String string(String name) {
        JsonNode value = required(name);
        if (!value.isString()) {
            throw wrongType(name, "a string");
        }
        return value.stringValue();
    }

    boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false");
        }
        return value.booleanValue();
    }

    /** true or false, or absent (not null: a null where a choice is expected is more likely a mistake). */
    Optional<Boolean> optionalBool(String name) {
        return optional(name) == null ? Optional.empty() : Optional.of(bool(name));
    }

    long integer(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer");
        }
        return value.longValue();
    }

    /** An integer or null. */
    Optional<Long> optionalInteger(String name) {
        return nullable(name, this::integer);
    }

    Optional<String> optionalString(String name) {
        return nullable(name, this::string);
    }

    Address address(String name) {
        String text = string(name);
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadJson(field(name) + ": " + e.getMessage());
        }
    }

    Optional<Instant> optionalInstant(String name) {
        return optionalString(name).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new BadJson(field(name) + " must be an ISO-8601 instant, got '" + text + "'");
            }
        });
    }

    /** An amount as the API writes it: {@code {"value": "<digits in the smallest unit>", "formatted": …}}. */
    Amount amount(String name) {
        String digits = object(name).string("value");
        if (!digits.matches("0|[1-9][0-9]{0,77}")) {
            throw new BadJson(field(name + ".value") + " must be a whole number of the smallest unit, got '" + digits
                    + "'");
        }
        try {
            return Amount.of(new BigInteger(digits));
        } catch (ArithmeticException e) {
            throw new BadJson(field(name + ".value") + ": " + e.getMessage());
        }
    }

    JsonObjectReader object(String name) {
        return of(required(name), prefix + name + ".");
    }

    List<JsonObjectReader> objects(String name) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array");
        }
        List<JsonObjectReader> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(of(value.get(i), prefix + name + "[" + i + "]."));
        }
        return items;
    }

    List<String> strings(String name) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isString()) {
                throw wrongType(name, "an array of strings");
            }
            items.add(item.stringValue());
        }
        return items;
    }

    /** @throws BadJson naming every field that nobody read */
    void refuseOthers() {
        Set<String> others = new TreeSet<>(node.propertyNames());
        others.removeAll(read);
        if (!others.isEmpty()) {
            throw new BadJson("unknown field" + (others.size() > 1 ? "s " : " ") + others.stream()
                    .map(other -> "'" + prefix + other + "'").collect(Collectors.joining(", ")));
        }
    }

    private <T> Optional<T> nullable(String name, Function<String, T> reader) {
        JsonNode value = optional(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(reader.apply(name));
    }

    private JsonNode required(String name) {
        JsonNode value = optional(name);
        if (value == null) {
            throw new BadJson(field(name) + " is missing");
        }
        return value;
    }

    private JsonNode optional(String name) {
        read.add(name);
        return node.get(name);
    }

    private BadJson wrongType(String name, String expected) {
        return new BadJson(field(name) + " must be " + expected);
    }

    private String field(String name) {
        return "field '" + prefix + name + "'";
    }
}
