package io.turnpike.bench;

import io.turnpike.core.Amount;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.store.ChannelRef;
import io.turnpike.store.ChannelStore;
import io.turnpike.store.Direction;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One payer paying one provider over one channel, as fast as its window allows: sign the next proof
 * ({@link PaymentChannel#pay}), optionally write it down first as the node's payment engine does, send it,
 * and count a payment done when a receipt covering its nonce comes back. Receipts are cumulative, so one
 * for nonce n settles every payment up to n. A window of 1 is the node's policy (one payment in flight).
 *
 * <p>The sender runs on its own thread; receipts arrive on the connection's reader thread.
 */
final class PayerStream implements PeerListener {

    private final PrivateKey key;
    private final Amount price;
    private final int window;
    private final Semaphore permits;
    /** When each payment in the window started (before signing), by nonce modulo the ring size. */
    private final AtomicLongArray startedAt;
    private final int ringMask;
    private final Optional<PayerStore> payerStore;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final LatencySamples latencies = new LatencySamples();

    private volatile PeerConnection connection;
    private volatile boolean running = true;
    private volatile boolean recording;
    private PaymentChannel channel;
    /** Highest nonce signed; written by the sender thread only. */
    private volatile long signed;
    /** Highest nonce acknowledged; written by the reader thread only. */
    private volatile long acknowledged;
    private long recorded;
    private long signNanos;
    private long payerWriteNanos;
    private long timedPayments;

    /** The payer's own durable write of each proof before it is sent (the node's PaymentEngine.pay). */
    record PayerStore(ChannelStore channels, ChannelRef ref) {
    }

    PayerStream(PrivateKey key, PaymentChannel channel, Amount price, int window, Optional<PayerStore> payerStore) {
        this.key = key;
        this.channel = channel;
        this.price = price;
        this.window = window;
        this.permits = new Semaphore(window);
        int ring = Integer.highestOneBit(window * 2 - 1) * 2;
        this.startedAt = new AtomicLongArray(ring);
        this.ringMask = ring - 1;
        this.payerStore = payerStore;
    }

    void connected(PeerConnection peer) {
        this.connection = peer;
    }

    /** The sender loop: returns once {@link #stop()} is called, or on the first failure. */
    void run() {
        try {
            while (running) {
                if (!permits.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long start = System.nanoTime();
                PaymentChannel.Payment payment = channel.pay(price, key);
                long signedAt = System.nanoTime();
                payerStore.ifPresent(store -> store.channels().recordProof(store.ref(), Direction.SENT, payment.proof()));
                long writtenAt = System.nanoTime();
                channel = payment.channel();
                long nonce = payment.proof().message().nonce();
                startedAt.set((int) nonce & ringMask, start);
                signed = nonce;
                if (recording) {
                    signNanos += signedAt - start;
                    payerWriteNanos += writtenAt - signedAt;
                    timedPayments++;
                }
                connection.send(new Pay(payment.proof()));
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error failed) {
            failure.compareAndSet(null, "sender: " + failed);
        }
    }

    @Override
    public void onMessage(PeerConnection peer, PeerMessage message) {
        switch (message) {
            case Receipt receipt -> acknowledge(receipt);
            case ErrorMessage error -> failure.compareAndSet(null, "refused: " + error.code() + ": " + error.message());
            default -> failure.compareAndSet(null, "unexpected " + message.type());
        }
    }

    private void acknowledge(Receipt receipt) {
        long previous = acknowledged;
        long nonce = receipt.nonce();
        if (nonce <= previous) {
            return; // an older receipt, after a newer one that covered it
        }
        // Every payment pays the same price, so the receiver's total after nonce n is exactly n × price.
        if (!receipt.credited().equals(price.times(nonce))) {
            failure.compareAndSet(null, "receipt for nonce " + nonce + " credits " + receipt.credited()
                    + ", expected " + price.times(nonce));
        }
        long now = System.nanoTime();
        if (recording) {
            for (long n = previous + 1; n <= nonce; n++) {
                latencies.add(now - startedAt.get((int) n & ringMask));
            }
            recorded += nonce - previous;
        }
        acknowledged = nonce;
        permits.release(Math.toIntExact(nonce - previous));
    }

    void startRecording() {
        recording = true;
    }

    void stopRecording() {
        recording = false;
    }

    void stop() {
        running = false;
    }

    /** Whether every payment signed has been acknowledged. */
    boolean drained() {
        return acknowledged == signed;
    }

    /** The newest nonce signed. */
    long signedNonce() {
        return signed;
    }

    /** Payments acknowledged while recording; read after recording stopped and the stream drained. */
    long recorded() {
        return recorded;
    }

    LatencySamples latencies() {
        return latencies;
    }

    long signNanos() {
        return signNanos;
    }

    long payerWriteNanos() {
        return payerWriteNanos;
    }

    long timedPayments() {
        return timedPayments;
    }

    int window() {
        return window;
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }
}
