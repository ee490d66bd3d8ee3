package io.turnpike.protocol;

import io.turnpike.core.Address;
import io.turnpike.core.Amount;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.crypto.Bytes32;
import io.turnpike.core.crypto.Signature;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads one JSON object field by field, strictly: each field must be there with exactly its documented form,
 * and {@link #finish()} refuses any field nobody read, so a message has one spelling on the wire.
 */
final class JsonFields {

    /** Canonical decimal: no sign, no leading zeros, no point, no exponent, so an amount has one form. */
    private static final Pattern DIGITS = Pattern.compile("0|[1-9][0-9]*");
    private static final Pattern NEGATIVE = Pattern.compile("-[0-9]+");
    private static final int MAX_UINT256_DIGITS = Amount.MAX_UINT256.toString().length();
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern BYTES32 = Pattern.compile("0x[0-9a-fA-F]{64}");
    private static final Pattern SIGNATURE = Pattern.compile("0x[0-9a-fA-F]{130}");

    private final JsonNode node;
    /** Where this object sits in the message ("", "asset.", "tiers[2]."), to name a bad field in full. */
    private final String path;
    private final Set<String> read = new HashSet<>();

    private JsonFields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static JsonFields of(JsonNode node) {
        return object(node, "");
    }

    String string(String name) {
        JsonNode value = take(name);
        if (!value.isString()) {
            throw wrongType(name, "a string", value);
        }
        return value.stringValue();
    }

    /** A JSON integer from 0 to {@code max}: no fraction, no exponent, no quotes. */
    long integer(String name, long max) {
        JsonNode value = take(name);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw wrongType(name, "an integer", value);
        }
        long number = value.longValue();
        if (number < 0 || number > max) {
            throw malformed("field '" + path + name + "' must be between 0 and " + max + ", got " + number);
        }
        return number;
    }

    long integer(String name) {
        return integer(name, Long.MAX_VALUE);
    }

    /** An amount: a decimal string of a uint256, exact however large. */
    Amount amount(String name) {
        String text = string(name);
        if (NEGATIVE.matcher(text).matches()) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE,
                    "field '" + path + name + "' is negative; amounts are 0 or more");
        }
        if (!DIGITS.matcher(text).matches()) {
            throw malformed("field '" + path + name + "' must be a decimal string of digits without sign, leading "
                    + "zeros, point or exponent, such as \"1000\"; got " + Wire.quote(text));
        }
        BigInteger value = text.length() > MAX_UINT256_DIGITS ? null : new BigInteger(text);
        if (value == null || value.compareTo(Amount.MAX_UINT256) > 0) {
            throw new TurnpikeException(ErrorCode.AMOUNT_OUT_OF_RANGE,
                    "field '" + path + name + "' does not fit in a uint256 (at most 2^256-1)");
        }
        return Amount.of(value);
    }

    /** "0x" + 40 hex digits; mixed case must be a valid EIP-55 checksum. */
    Address address(String name) {
        String text = hex(name, ADDRESS, "0x + 40 hex digits");
        try {
            return Address.of(text);
        } catch (IllegalArgumentException badChecksum) {
            throw malformed("field '" + path + name + "': " + badChecksum.getMessage());
        }
    }

    Bytes32 bytes32(String name) {
        return Bytes32.fromHex(hex(name, BYTES32, "0x + 64 hex digits"));
    }

    /** "0x" + 130 hex digits (r ‖ s ‖ v); a non-canonical signature is refused as invalid_signature. */
    Signature signature(String name) {
        return Signature.fromHex(hex(name, SIGNATURE, "0x + 130 hex digits"));
    }

    JsonFields object(String name) {
        return object(take(name), path + name + ".");
    }

    List<JsonFields> array(String name, int maxSize) {
        JsonNode value = take(name);
        if (!value.isArray()) {
            throw wrongType(name, "an array", value);
        }
        if (value.size() > maxSize) {
            throw malformed("field '" + path + name + "' has at most " + maxSize + " entries, got " + value.size());
        }
        List<JsonFields> entries = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            entries.add(object(value.get(i), path + name + "[" + i + "]."));
        }
        return entries;
    }

    /** Refuses fields that were not read: there is no optional or ignored field in version 1. */
    void finish() {
        Set<String> unknown = new TreeSet<>(node.propertyNames());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw malformed(label(path) + " has field(s) this version does not define: "
                    + Wire.quote(String.join(", ", unknown)));
        }
    }

    static TurnpikeException malformed(String message) {
        return new TurnpikeException(ErrorCode.MALFORMED_MESSAGE, message);
    }

    private static JsonFields object(JsonNode value, String path) {
        if (!value.isObject()) {
            throw malformed(label(path) + " must be a JSON object, got " + describe(value));
        }
        return new JsonFields(value, path);
    }

    private JsonNode take(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            throw malformed("field '" + path + name + "' is missing");
        }
        read.add(name);
        return value;
    }

    private String hex(String name, Pattern form, String rule) {
        String text = string(name);
        if (!form.matcher(text).matches()) {
            throw malformed("field '" + path + name + "' must be " + rule + ", got " + Wire.quote(text));
        }
        return text;
    }

    private TurnpikeException wrongType(String name, String expected, JsonNode value) {
        return malformed("field '" + path + name + "' must be " + expected + ", got " + describe(value));
    }

    private static String label(String path) {
        return path.isEmpty() ? "the message" : "'" + path.substring(0, path.length() - 1) + "'";
    }

    private static String describe(JsonNode value) {
        return value.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
