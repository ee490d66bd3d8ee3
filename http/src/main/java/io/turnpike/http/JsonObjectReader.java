package io.turnpike.http;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Signature;
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
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads one JSON object field by field, failing with {@link BadJson} that names the field: the node's API and the
 * watchtower's, on the server and on the client side. A server reads a request body and then {@link #refuseOthers()},
 * so a misspelt field ("forse") is refused rather than ignored; a client reads answers without that check, so a newer
 * server may add fields. Numbers that may exceed what JSON readers keep exactly are decimal strings.
 */
public final class JsonObjectReader {

    /** Refuses duplicate keys and anything after the value: one body, one meaning. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A whole number in decimal digits, without sign or leading zeros, of at most 78 digits (2^256 has 78). */
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,77}");

    /** JSON that is not the expected shape; the message names the field and what it should hold. */
    public static final class BadJson extends RuntimeException {
        public BadJson(String message) {
            super(message);
        }
    }

    private final JsonNode node;
    /** Where this object sits ("", "used.", "peers[2]."), so a bad field is named in full. */
    private final String prefix;
    private final Set<String> read = new HashSet<>();
    /** The objects read inside this one, which {@link #refuseOthers()} checks too. */
    private final List<JsonObjectReader> nested = new ArrayList<>();

    private JsonObjectReader(JsonNode node, String prefix) {
        this.node = node;
        this.prefix = prefix;
    }

    public static JsonObjectReader of(JsonNode node) {
        return of(node, "");
    }

    /** @throws BadJson if {@code json} is not one JSON object */
    public static JsonObjectReader parse(byte[] json) {
        try {
            return of(MAPPER.readTree(json));
        } catch (JacksonException e) {
            throw new BadJson("the body is not JSON: " + e.getOriginalMessage());
        }
    }

    private static JsonObjectReader of(JsonNode node, String prefix) {
        if (node == null || !node.isObject()) {
            throw new BadJson(prefix.isEmpty() ? "expected a JSON object"
                    : "field '" + prefix.substring(0, prefix.length() - 1) + "' must be a JSON object");
        }
        return new JsonObjectReader(node, prefix);
    }

    public String string(String name) {
        JsonNode value = required(name);
        if (!value.isString()) {
            throw wrongType(name, "a string");
        }
        return value.stringValue();
    }

    public boolean bool(String name) {
        JsonNode value = required(name);
        if (!value.isBoolean()) {
            throw wrongType(name, "true or false");
        }
        return value.booleanValue();
    }

    /** true or false, or absent (not null: a null where a choice is expected is more likely a mistake). */
    public Optional<Boolean> optionalBool(String name) {
        return optional(name) == null ? Optional.empty() : Optional.of(bool(name));
    }

    /** A JSON integer, for counts that fit any reader (chain ids, ports, block numbers). */
    public long integer(String name) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer");
        }
        return value.longValue();
    }

    /** An integer or null. */
    public Optional<Long> optionalInteger(String name) {
        return nullable(name, this::integer);
    }

    /** A whole number 0 … 2^63 − 1 written as a decimal string. */
    public long decimalLong(String name) {
        BigInteger value = decimal(name);
        if (value.bitLength() > 63) {
            throw new BadJson(field(name) + " is above " + Long.MAX_VALUE);
        }
        return value.longValueExact();
    }

    /** An amount in the smallest unit written as a decimal string, 0 … 2^256 − 1. */
    public Amount decimalAmount(String name) {
        BigInteger value = decimal(name);
        if (value.compareTo(Amount.MAX_UINT256) > 0) {
            throw new BadJson(field(name) + " is above 2^256 - 1");
        }
        return Amount.of(value);
    }

    /** An amount as the node's API writes it: {@code {"value": "<digits in the smallest unit>", "formatted": …}}. */
    public Amount amount(String name) {
        return object(name).decimalAmount("value");
    }

    public Address address(String name) {
        String text = string(name);
        try {
            return Address.of(text);
        } catch (IllegalArgumentException e) {
            throw new BadJson(field(name) + ": " + e.getMessage());
        }
    }

    /** 65 bytes in hex, {@code r ‖ s ‖ v}, as {@link Signature#fromHex} takes them. */
    public Signature signature(String name) {
        String text = string(name);
        try {
            return Signature.fromHex(text);
        } catch (TurnpikeException e) {
            throw new BadJson(field(name) + " is not a usable signature: " + e.getMessage());
        }
    }

    public Optional<Instant> optionalInstant(String name) {
        return nullable(name, this::string).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new BadJson(field(name) + " must be an ISO-8601 instant, got '" + text + "'");
            }
        });
    }

    public JsonObjectReader object(String name) {
        return child(required(name), prefix + name + ".");
    }

    public List<JsonObjectReader> objects(String name) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array");
        }
        List<JsonObjectReader> items = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            items.add(child(value.get(i), prefix + name + "[" + i + "]."));
        }
        return items;
    }

    public List<String> strings(String name) {
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

    /** @throws BadJson naming every field that nobody read, in this object or in one read inside it */
    public void refuseOthers() {
        Set<String> others = new TreeSet<>(node.propertyNames());
        others.removeAll(read);
        if (!others.isEmpty()) {
            throw new BadJson("unknown field" + (others.size() > 1 ? "s " : " ") + others.stream()
                    .map(other -> "'" + prefix + other + "'").collect(Collectors.joining(", ")));
        }
        nested.forEach(JsonObjectReader::refuseOthers);
    }

    private JsonObjectReader child(JsonNode value, String childPrefix) {
        JsonObjectReader child = of(value, childPrefix);
        nested.add(child);
        return child;
    }

    private BigInteger decimal(String name) {
        String text = string(name);
        if (!DECIMAL.matcher(text).matches()) {
            throw new BadJson(field(name) + " must be a whole number in decimal digits, without sign or leading "
                    + "zeros, got '" + text + "'");
        }
        return new BigInteger(text);
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
