package io.turnpike.bench;

import io.turnpike.core.Amount;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.peer.Peer;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ChannelSync;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Receipt;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A payer node's side of one channel to the provider, paid through the node's own code: each payment is
 * {@code peer.channels().apply(channelId, Pay)} on the payer peer's executor — the proof signed, written to the
 * payer's SQLite store, then sent as a {@code pay} on the real connection — and counts once a receipt covering its
 * nonce comes back. Up to {@code window} payments are outstanding. Receipts are cumulative: one for nonce n
 * acknowledges every nonce up to n.
 *
 * <p>Everything but {@link #onMessage} runs on the peer's executor, as the node's payment engine does; receipts are
 * timed when they arrive on the connection's I/O thread, then handed to the executor.
 */
final class PayingChannel implements PeerListener {

    private final Peer peer;
    private final PrivateKey key;
    private final long channelId;
    private final Amount price;
    private final int window;
    /** When each outstanding payment started (just before signing), by nonce modulo the ring size. */
    private final AtomicLongArray startedAt;
    private final int ringMask;
    private final CompletableFuture<ChannelSync> synced = new CompletableFuture<>();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile boolean recording;

    // Only on the peer's executor.
    private final LatencySamples latencies = new LatencySamples();
    private boolean pumping;
    private long signed;
    private long acknowledged;
    private long recorded;
    private long receipts;
    private long recordedReceipts;
    private long applyNanos;
    private long applies;

    PayingChannel(Peer peer, PrivateKey key, long channelId, Amount price, int window) {
        this.peer = peer;
        this.key = key;
        this.channelId = channelId;
        this.price = price;
        this.window = window;
        int ring = Integer.highestOneBit(window * 2 - 1) * 2;
        this.startedAt = new AtomicLongArray(ring);
        this.ringMask = ring - 1;
    }

    long channelId() {
        return channelId;
    }

    Peer peer() {
        return peer;
    }

    /** Completes with the provider's own {@code channel} message once it holds the channel. */
    CompletableFuture<ChannelSync> synced() {
        return synced;
    }

    /** Starts paying: fills the window, then one more payment for each one acknowledged. */
    void start() {
        peer.executor().execute(this::schedulePump);
    }

    void startRecording() {
        recording = true;
    }

    void stopRecording() {
        recording = false;
    }

    /** No new payment is signed after this; those outstanding still count once acknowledged. */
    void stop() {
        running = false;
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** What the executor has counted so far, read on the executor. */
    CompletableFuture<Counts> counts() {
        return peer.call(() -> new Counts(signed, acknowledged, recorded, receipts, recordedReceipts, applyNanos,
                applies));
    }

    /** The latencies recorded; read once the channel is drained. */
    CompletableFuture<LatencySamples> latencies() {
        return peer.call(() -> latencies);
    }

    /**
     * @param signed the newest nonce this payer signed; {@code acknowledged} the newest a receipt covers
     * @param recorded payments acknowledged while recording; {@code recordedReceipts} the receipts that did it
     * @param applyNanos time in {@code apply(Pay)} (sign, durable write, send) while recording, over {@code applies}
     */
    record Counts(long signed, long acknowledged, long recorded, long receipts, long recordedReceipts,
                  long applyNanos, long applies) {

        boolean drained() {
            return signed == acknowledged;
        }
    }

    // ---------------------------------------------------------------- on the peer's executor

    private void schedulePump() {
        if (!pumping) {
            pumping = true;
            peer.executor().execute(this::pump);
        }
    }

    /**
     * As many payments as the window has room for, in one batch: the node's {@code applyInBatch} signs each, writes
     * the newest once (proofs are cumulative), then sends them all — one commit for the burst, as the provider does
     * on its side. Then again, behind whatever else the executor has queued.
     */
    private void pump() {
        pumping = false;
        while (running && failure.get() == null && signed - acknowledged < window) {
            long next = signed + 1;
            long start = System.nanoTime();
            startedAt.set(slot(next), start);
            try {
                peer.channels().applyInBatch(channelId, new Channel.Pay(price, key), (written, effects) -> {
                });
            } catch (RuntimeException e) {
                fail("paying nonce " + next + " on channel " + channelId + " failed: " + e);
                return;
            }
            long end = System.nanoTime();
            long nonce = peer.channels().get(channelId).orElseThrow().sentNonce();
            if (nonce != next) {
                fail("channel " + channelId + " signed nonce " + nonce + ", expected " + next);
                return;
            }
            signed = next;
            if (recording) {
                applyNanos += end - start;
                applies++;
            }
        }
    }

    private void acknowledge(Receipt receipt, long arrivedAt) {
        if (receipt.channelId() != channelId) {
            fail("a receipt for channel " + receipt.channelId() + " on the connection of channel " + channelId);
            return;
        }
        receipts++;
        long nonce = receipt.nonce();
        if (nonce <= acknowledged) {
            return; // an older receipt, after a newer one that covered it
        }
        if (nonce > signed) {
            fail("channel " + channelId + ": a receipt for nonce " + nonce + ", but only " + signed + " were signed");
            return;
        }
        // Every payment pays the same price from zero, so after nonce n the provider holds exactly n × price.
        Amount expected = price.times(nonce);
        if (!receipt.credited().equals(expected)) {
            fail("channel " + channelId + ": the receipt for nonce " + nonce + " credits " + receipt.credited()
                    + ", the payer signed " + expected);
            return;
        }
        if (recording) {
            for (long n = acknowledged + 1; n <= nonce; n++) {
                latencies.add(arrivedAt - startedAt.get(slot(n)));
            }
            recorded += nonce - acknowledged;
            recordedReceipts++;
        }
        acknowledged = nonce;
        schedulePump();
    }

    private int slot(long nonce) {
        return (int) nonce & ringMask;
    }

    private void fail(String why) {
        failure.compareAndSet(null, why);
    }

    // ---------------------------------------------------------------- on the connection's I/O thread

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        switch (message) {
            case Receipt receipt -> {
                long arrivedAt = System.nanoTime();
                peer.executor().execute(() -> acknowledge(receipt, arrivedAt));
            }
            case ChannelSync sync -> {
                if (sync.channelId() == channelId) {
                    synced.complete(sync);
                }
            }
            case ErrorMessage error -> {
                fail("the provider refused a message on channel " + channelId + ": [" + error.code() + "] "
                        + error.message());
                synced.completeExceptionally(new IllegalStateException(failure.get()));
            }
            default -> {
                // The provider's offer, statements and standing: its own business, not a payment's.
            }
        }
    }

    @Override
    public void onClosed(PeerConnection connection) {
        if (running) {
            fail("the provider closed the connection of channel " + channelId);
        }
        synced.completeExceptionally(new IllegalStateException("the connection closed before the channel synced"));
    }
}
