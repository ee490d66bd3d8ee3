package io.turnpike.core.channel;

/** Range checks shared by the signed messages, so each states its rule once. */
final class ChannelFields {

    private ChannelFields() {
    }

    /** Channel ids come from the contract's counter, which starts at 1. */
    static void requireChannelId(long channelId) {
        if (channelId < 1) {
            throw new IllegalArgumentException("a channel id is 1 or more, got " + channelId);
        }
    }

    static void requireNonNegative(String field, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(field + " cannot be negative, got " + value);
        }
    }
}
