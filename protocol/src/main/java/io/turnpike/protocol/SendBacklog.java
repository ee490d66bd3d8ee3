package io.turnpike.protocol;

/**
 * What one connection has handed to the socket library that the library has not yet written: bytes and
 * messages, each under its cap. A message counts from {@link #reserve} until its write completes or fails
 * ({@link #release}), so the counts are what the library holds for a peer that does not read.
 */
final class SendBacklog {

    private final long maxBytes;
    private final int maxMessages;
    private long bytes;
    private int messages;

    SendBacklog(PeerLimits limits) {
        this.maxBytes = limits.maxQueuedBytes();
        this.maxMessages = limits.maxQueuedMessages();
    }

    /** Counts one more message of {@code size} bytes, unless that would pass a cap; then nothing changes. */
    synchronized boolean reserve(int size) {
        if (bytes + size > maxBytes || messages + 1 > maxMessages) {
            return false;
        }
        bytes += size;
        messages++;
        return true;
    }

    synchronized void release(int size) {
        bytes -= size;
        messages--;
    }

    @Override
    public synchronized String toString() {
        return bytes + " bytes in " + messages + " messages";
    }
}
