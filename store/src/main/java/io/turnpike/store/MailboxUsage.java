package io.turnpike.store;

/**
 * What one mailbox holds now: {@code storedBytes} in {@code envelopes} envelopes; {@code lastId} is the id of the
 * newest envelope it was ever given (0: none yet).
 */
public record MailboxUsage(long storedBytes, long envelopes, long lastId) {

    public static final MailboxUsage EMPTY = new MailboxUsage(0, 0, 0);
}
