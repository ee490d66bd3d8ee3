package io.turnpike.http;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Signature;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
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
 * Reads one JSON object field by field, strictly, for every JSON Turnpike reads: the peer protocol's messages, the
 * node's API and the watchtower's, on the server and on the client side. A failure names the field and is a
 * {@link BadJson} under the code the reader was made with ({@code malformed_body} for an HTTP body,
 * {@code malformed_message} for a peer message); an amount out of range is {@code amount_out_of_range} and a
 * non-canonical signature {@code invalid_signature}, whatever was being read. A reader of what a peer or client sent
 * then {@link #refuseOthers()}, so a misspelt field ("forse") is refused rather than ignored; a client reads answers
 * without that check, so a newer server may add fields. Numbers that may exceed what JSON readers keep exactly are
 * canonical decimal strings.
 */
public final class JsonObjectReader {

    /** Refuses duplicate keys and anything after the value: one text, one meaning. */
    public static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** A whole number in decimal digits, without sign or leading zeros. */
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]*");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+");
    private static final int MAX_UINT256_DIGITS = Amount.MAX_UINT256.toString().length();
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");

    /** JSON that is not the expected shape; the message names the field and what it should hold. */
    public static final class BadJson extends TurnpikeException {
        public BadJson(ErrorCode code, String message) {
            super(code, message);
        }
    }

    private final JsonNode node;
    /** Where this object sits ("", "used.", "peers[2]."), so a bad field is named in full. */
    private final String prefix;
    /** What a failure is: {@code malformed_body} or {@code malformed_message}. */
    private final ErrorCode malformed;
    private final Set<String> read = new HashSet<>();
    /** The objects read inside this one, which {@link #refuseOthers()} checks too. */
    private final List<JsonObjectReader> nested = new ArrayList<>();

    private JsonObjectReader(JsonNode node, String prefix, ErrorCode malformed) {
        this.node = node;
        this.prefix = prefix;
        this.malformed = malformed;
    }

    /** An HTTP body's object, whose failures are {@code malformed_body}. */
    public static JsonObjectReader of(JsonNode node) {
        return of(node, ErrorCode.MALFORMED_BODY);
    }

    /** An object whose failures are {@code malformed}. */
    public static JsonObjectReader of(JsonNode node, ErrorCode malformed) {
        return of(node, "", malformed);
    }

    /** @throws BadJson if {@code json} is not one JSON object */
    public static JsonObjectReader parse(byte[] json) {
        return parse(json, ErrorCode.MALFORMED_BODY);
    }

    /** @throws BadJson under {@code malformed} if {@code json} is not one JSON object */
    public static JsonObjectReader parse(byte[] json, ErrorCode malformed) {
        try {
            return of(MAPPER.readTree(json), malformed);
        } catch (JacksonException e) {
            throw new BadJson(malformed, "not JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * A request body read whole with {@code message}, strictly: a missing, mistyped, unknown or repeated field is
     * {@code malformed_body}, naming the field and the page ({@code docs}) that shows each request's body.
     */
    public static <T> T readRequest(byte[] body, Function<JsonObjectReader, T> message, String docs) {
        try {
            JsonObjectReader json = parse(body);
            T read = message.apply(json);
            json.refuseOthers();
            return read;
        } catch (BadJson e) {
            throw new BadJson(ErrorCode.MALFORMED_BODY, e.getMessage() + "; " + docs + " shows each request's body");
        }
    }

    private static JsonObjectReader of(JsonNode node, String prefix, ErrorCode malformed) {
        if (node == null || !node.isObject()) {
            throw new BadJson(malformed, (prefix.isEmpty() ? "expected a JSON object"
                    : "field '" + prefix.substring(0, prefix.length() - 1) + "' must be a JSON object")
                    + (node == null ? "" : ", got " + node.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        return new JsonObjectReader(node, prefix, malformed);
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

    /** A JSON integer 0 … 2^63 − 1, for counts that fit any reader (chain ids, ports, nonces, block numbers). */
    public long integer(String name) {
        return integer(name, Long.MAX_VALUE);
    }

    /** A JSON integer from 0 to {@code max}: no fraction, no exponent, no quotes. */
    public long integer(String name, long max) {
        JsonNode value = required(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer");
        }
        long number = value.longValue();
        if (number < 0 || number > max) {
            throw bad(field(name) + " must be between 0 and " + max + ", got " + number);
        }
        return number;
    }

    /** The names of the object's fields, for an object keyed by data (a service's name); none counts as read. */
    public Set<String> names() {
        return new TreeSet<>(node.propertyNames());
    }

    /** Whether the field is there and not null; either way it counts as read. */
    public boolean has(String name) {
        JsonNode value = optional(name);
        return value != null && !value.isNull();
    }

    /** A string, or null or absent. */
    public Optional<String> optionalString(String name) {
        return nullable(name, this::string);
    }

    /** An amount as {@link #decimalAmount} reads one, or null or absent. */
    public Optional<Amount> optionalDecimalAmount(String name) {
        return nullable(name, this::decimalAmount);
    }

    /** An integer or null. */
    public Optional<Long> optionalInteger(String name) {
        return nullable(name, this::integer);
    }

    /** A whole number 0 … 2^63 − 1 written as a decimal string. */
    public long decimalLong(String name) {
        BigInteger value = decimal(field(name), string(name));
        if (value.bitLength() > 63) {
            throw bad(field(name) + " is above " + Long.MAX_VALUE);
        }
        return value.longValueExact();
    }

    /** An amount in the smallest unit written as a canonical decimal string, 0 … 2^256 − 1, exact however large. */
    public Amount decimalAmount(String name) {
        return amount(field(name), string(name));
    }

    /** An array of at most {@code maxSize} amounts, each as {@link #decimalAmount} reads one. */
    public List<Amount> decimalAmounts(String name, int maxSize) {
        JsonNode value = array(name, maxSize);
        List<Amount> amounts = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                throw wrongType(name, "an array of decimal strings");
            }
            amounts.add(amount(field(name) + "[" + i + "]", value.get(i).stringValue()));
        }
        return amounts;
    }

    /** An array of at most {@code maxSize} JSON integers, each 0 … 2^63 − 1. */
    public List<Long> integers(String name, int maxSize) {
        JsonNode value = array(name, maxSize);
        List<Long> numbers = new ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isIntegralNumber() || !item.canConvertToLong() || item.longValue() < 0) {
                throw wrongType(name, "an array of whole numbers from 0");
            }
            numbers.add(item.longValue());
        }
        return numbers;
    }

    /** An amount as the node's API writes it: {@code {"value": "<digits in the smallest unit>", "formatted": …}}. */
    public Amount amount(String name) {
        return object(name).decimalAmount("value");
    }

    /** "0x" + 40 hex digits; mixed case must be a valid EIP-55 checksum. */
    public Address address(String name) {
        String text = hex(name, ADDRESS, "0x + 40 hex digits");
        try {
            return Address.of(text);
        } catch (IllegalArgumentException badChecksum) {
            throw bad(field(name) + ": " + badChecksum.getMessage());
        }
    }

    public Bytes32 bytes32(String name) {
        return Bytes32.fromHex(hex(name, BYTES32, "0x + 64 hex digits"));
    }

    /** "0x" + 130 hex digits ({@code r ‖ s ‖ v}); a non-canonical signature is refused as invalid_signature. */
    public Signature signature(String name) {
        return Signature.fromHex(hex(name, SIGNATURE, "0x + 130 hex digits"));
    }

    public Optional<Instant> optionalInstant(String name) {
        return nullable(name, this::string).map(text -> {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw bad(field(name) + " must be an ISO-8601 instant, got '" + text + "'");
            }
        });
    }

    public JsonObjectReader object(String name) {
        return child(required(name), prefix + name + ".");
    }

    public List<JsonObjectReader> objects(String name) {
        return objects(name, Integer.MAX_VALUE);
    }

    /** An array of at most {@code maxSize} objects. */
    public List<JsonObjectReader> objects(String name, int maxSize) {
        JsonNode value = array(name, maxSize);
        List<JsonObjectReader> items = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            items.add(child(value.get(i), prefix + name + "[" + i + "]."));
        }
        return items;
    }

    public List<String> strings(String name) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : array(name)) {
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
            throw bad("unknown field" + (others.size() > 1 ? "s " : " ") + others.stream()
                    .map(other -> "'" + prefix + other + "'").collect(Collectors.joining(", ")));
        }
        nested.forEach(JsonObjectReader::refuseOthers);
    }

    private JsonObjectReader child(JsonNode value, String childPrefix) {
        JsonObjectReader child = of(value, childPrefix, malformed);
        nested.add(child);
        return child;
    }

    private JsonNode array(String name) {
        JsonNode value = required(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array");
        }
        return value;
    }

    private JsonNode array(String name, int maxSize) {
        JsonNode value = array(name);
        if (value.size() > maxSize) {
            throw bad(field(name) + " has at most " + maxSize + " entries, got " + value.size());
        }
        return value;
    }

    private Amount amount(String field, String text) {
        if (NEGATIVE.matcher(text).matches()) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, field + " is negative; amounts are 0 or more");
        }
        if (DECIMAL.matcher(text).matches() && text.length() > MAX_UINT256_DIGITS) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, field + " has " + text.length()
                    + " digits; no uint256 has more than " + MAX_UINT256_DIGITS);
        }
        BigInteger value = decimal(field, text);
        if (value.compareTo(Amount.MAX_UINT256) > 0) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE, field + " does not fit in a uint256 (at most "
                    + "2^256 - 1)");
        }
        return Amount.of(value);
    }

    private BigInteger decimal(String field, String text) {
        if (!DECIMAL.matcher(text).matches()) {
            throw bad(field + " must be a whole number in decimal digits, without sign, leading zeros, point "
                    + "or exponent, such as \"1000\"; got " + quote(text));
        }
        if (text.length() > MAX_UINT256_DIGITS) {
            // Refused before it is parsed: a peer's 60 KiB of digits is not worth a BigInteger.
            throw bad(field + " has " + text.length() + " digits, more than any number here has");
        }
        return new BigInteger(text);
    }

    private String hex(String name, Pattern form, String rule) {
        String text = string(name);
        if (!form.matcher(text).matches()) {
            throw bad(field(name) + " must be " + rule + ", got " + quote(text));
        }
        return text;
    }

    private <T> Optional<T> nullable(String name, Function<String, T> reader) {
        JsonNode value = optional(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(reader.apply(name));
    }

    private JsonNode required(String name) {
        JsonNode value = optional(name);
        if (value == null) {
            throw bad(field(name) + " is missing");
        }
        return value;
    }

    private JsonNode optional(String name) {
        read.add(name);
        return node.get(name);
    }

    private BadJson wrongType(String name, String expected) {
        JsonNode value = node.get(name);
        return bad(field(name) + " must be " + expected + ", got " + value.getNodeType().toString().toLowerCase(Locale.ROOT));
    }

    private BadJson bad(String message) {
        return new BadJson(malformed, message);
    }

    private String field(String name) {
        return "field '" + prefix + name + "'";
    }

    /** A value for an error message, cut short: a peer's 60 KiB of junk is not echoed back to it. */
    public static String quote(String value) {
        return value.length() <= 40
                ? "'" + value + "'"
                : "'" + value.substring(0, 40) + "…' (" + value.length() + " characters)";
    }
}
