package io.turnpike.protocol;

import io.turnpike.http.JsonObjectReader;
import java.util.Objects;
import java.util.regex.Pattern;

/** The value rules every message shares, stated once; a rule broken here is a malformed message on the wire. */
final class Wire {

    /** Service, unit and tier names: short lower-case words, so they can be logged and matched without escaping. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    /** A priced item: a JSON-RPC method or a subscription's notifications ({@code eth_subscription.newHeads}). */
    private static final Pattern COST_ITEM = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,63}");
    /** Error codes are snake_case words, the form {@link io.turnpike.core.ErrorCode} uses. */
    private static final Pattern CODE = Pattern.compile("[a-z]+(_[a-z]+)*");
    /** A token symbol as wallets show it ("ETH", "USDC.e"): printable ASCII, no spaces. */
    private static final Pattern SYMBOL = Pattern.compile("[\\x21-\\x7e]{1,32}");
    /** A session token: URL-safe base64 or hex, long enough to be unguessable, short enough for a SOCKS5 password. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{16,255}");

    static final int MAX_CODE_LENGTH = 64;
    static final int MAX_TEXT_LENGTH = 1024;
    static final int MAX_TIERS = 16;
    /** Services one provider sells over one connection, or one statement itemises. */
    static final int MAX_SERVICES = 8;
    /** Items one service's cost table prices: the default rpc table has 18, an operator may add a few dozen. */
    static final int MAX_COSTS = 64;
    /** Balances one {@code capacity.query} asks about. */
    static final int MAX_QUOTES = 16;

    private Wire() {
    }

    static String name(String field, String value) {
        return matching(field, value, NAME, "a lower-case word of at most 32 letters, digits or '_'");
    }

    static String costItem(String field, String value) {
        return matching(field, value, COST_ITEM, "a method or notification name of at most 64 letters, digits, '_' "
                + "or '.'");
    }

    static String code(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.length() > MAX_CODE_LENGTH) {
            throw new IllegalArgumentException(field + " is at most " + MAX_CODE_LENGTH + " characters");
        }
        return matching(field, value, CODE, "snake_case");
    }

    static String symbol(String field, String value) {
        return matching(field, value, SYMBOL, "1 to 32 printable ASCII characters without spaces");
    }

    static String token(String field, String value) {
        return matching(field, value, TOKEN, "16 to 255 characters of A-Z, a-z, 0-9, '_' or '-'");
    }

    static String text(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException(field + " is at most " + MAX_TEXT_LENGTH + " characters");
        }
        return value;
    }

    static long atLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    private static String matching(String field, String value, Pattern pattern, String rule) {
        Objects.requireNonNull(value, field);
        if (!pattern.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " must be " + rule + ", got " + JsonObjectReader.quote(value));
        }
        return value;
    }
}
