package io.turnpike.bench;

import io.turnpike.core.Address;
import io.turnpike.core.ErrorCode;
import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.PaymentChannel;
import io.turnpike.core.channel.Signed;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerListener;
import io.turnpike.protocol.PeerMessage;
import io.turnpike.protocol.PeerMessage.ErrorMessage;
import io.turnpike.protocol.PeerMessage.Pay;
import io.turnpike.protocol.PeerMessage.Receipt;
import io.turnpike.store.ChannelRef;
import io.turnpike.store.ChannelStore;
import io.turnpike.store.Direction;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * The provider's side of a paid channel, cut down to crediting payments: verify the proof against the
 * client's channel ({@link PaymentChannel#receive}), write it down ({@link ChannelStore#recordProof}), then
 * send the {@link Receipt}. No receipt leaves before its proof, or a newer one, is durable.
 *
 * <p>{@link Mode} says where the durable write waits, the one thing the variants change.
 */
final class PaymentReceiver implements PeerListener, AutoCloseable {

    enum Mode {
        /**
         * The write waits on the connection's I/O thread, as {@code BandwidthProvider.credit} does: the
         * socket library runs a fixed pool of workers (one per core) that each serve many connections, so a
         * worker waiting for a commit holds up every connection it serves.
         */
        INLINE,
        /**
         * Verified on the I/O thread, every proof written and acknowledged on a virtual thread: the next
         * payments are verified while earlier ones wait for their commit, and their writes share it.
         */
        HANDOFF,
        /**
         * Verified on the I/O thread; per channel one virtual thread writes and acknowledges only the newest
         * proof verified so far. Proofs are cumulative, so that one write and one receipt cover every
         * payment before it.
         */
        NEWEST
    }

    private final Mode mode;
    private final ChannelStore store;
    private final Map<Address, Account> accounts = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
    private final LongAdder verifyNanos = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder verified = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAccumulator slowestWriteNanos = new LongAccumulator(Math::max, 0);

    PaymentReceiver(Mode mode, ChannelStore store) {
        this.mode = mode;
        this.store = store;
    }

    /** The client at {@code client} pays through {@code channel}, stored as {@code ref}. */
    void open(Address client, ChannelRef ref, PaymentChannel channel) {
        accounts.put(client, new Account(ref, channel));
    }

    @Override
    public void onMessage(PeerConnection connection, PeerMessage message) {
        if (!(message instanceof Pay pay)) {
            throw new TurnpikeException(ErrorCode.MALFORMED_MESSAGE, "this receiver takes only pay, not " + message.type());
        }
        Account account = accounts.get(connection.remote());
        if (account == null) {
            throw new TurnpikeException(ErrorCode.UNKNOWN_CHANNEL, "no channel from " + connection.remote());
        }
        switch (mode) {
            case INLINE -> creditInline(connection, account, pay.proof());
            case HANDOFF -> creditHandedOff(connection, account, pay.proof());
            case NEWEST -> creditNewest(connection, account, pay.proof());
        }
    }

    private void creditInline(PeerConnection connection, Account account, Signed<BalanceProof> proof) {
        Receipt receipt;
        synchronized (account) {
            PaymentChannel next = verify(account, proof);
            write(account.ref, proof);
            account.channel = next;
            receipt = receiptFor(proof);
        }
        connection.send(receipt);
    }

    private void creditHandedOff(PeerConnection connection, Account account, Signed<BalanceProof> proof) {
        synchronized (account) {
            account.channel = verify(account, proof);
        }
        writers.execute(() -> {
            try {
                // false: a newer proof of this channel is already committed, and it covers this one.
                write(account.ref, proof);
                connection.send(receiptFor(proof));
            } catch (RuntimeException failed) {
                refusedWith(connection, failed);
            }
        });
    }

    private void creditNewest(PeerConnection connection, Account account, Signed<BalanceProof> proof) {
        boolean startWriter;
        synchronized (account) {
            account.channel = verify(account, proof);
            account.unwritten = proof;
            startWriter = !account.writing;
            account.writing = true;
        }
        if (startWriter) {
            writers.execute(() -> writeNewest(connection, account));
        }
    }

    private void writeNewest(PeerConnection connection, Account account) {
        while (true) {
            Signed<BalanceProof> newest;
            synchronized (account) {
                newest = account.unwritten;
                account.unwritten = null;
                if (newest == null) {
                    account.writing = false;
                    return;
                }
            }
            try {
                write(account.ref, newest);
                connection.send(receiptFor(newest));
            } catch (RuntimeException failed) {
                refusedWith(connection, failed);
            }
        }
    }

    /** The channel after {@code proof}; throws, changing nothing, if the proof is refused. */
    private PaymentChannel verify(Account account, Signed<BalanceProof> proof) {
        long start = System.nanoTime();
        try {
            return account.channel.receive(proof).channel();
        } catch (TurnpikeException refusal) {
            refused.increment();
            throw refusal;
        } finally {
            verifyNanos.add(System.nanoTime() - start);
            verified.increment();
        }
    }

    private void write(ChannelRef ref, Signed<BalanceProof> proof) {
        long start = System.nanoTime();
        store.recordProof(ref, Direction.RECEIVED, proof);
        long took = System.nanoTime() - start;
        writeNanos.add(took);
        slowestWriteNanos.accumulate(took);
        written.increment();
    }

    private static Receipt receiptFor(Signed<BalanceProof> proof) {
        BalanceProof accepted = proof.message();
        return new Receipt(accepted.channelId(), accepted.nonce(), accepted.transferred());
    }

    private void refusedWith(PeerConnection connection, RuntimeException failed) {
        refused.increment();
        connection.send(failed instanceof TurnpikeException refusal
                ? ErrorMessage.of(refusal)
                : ErrorMessage.of(ErrorCode.MALFORMED_MESSAGE, "not credited: " + failed.getMessage()));
    }

    /** Counters since the last call, then zeroed. */
    Counters drainCounters() {
        return new Counters(verified.sumThenReset(), verifyNanos.sumThenReset(), written.sumThenReset(),
                writeNanos.sumThenReset(), slowestWriteNanos.getThenReset(), refused.sumThenReset());
    }

    /**
     * @param verifyNanos time inside {@link PaymentChannel#receive}, mostly the signer's recovery
     * @param writeNanos time {@code recordProof} calls waited for their commit; {@code slowestWriteNanos} the longest
     */
    record Counters(long verified, long verifyNanos, long written, long writeNanos, long slowestWriteNanos,
                    long refused) {
    }

    @Override
    public void close() {
        writers.close();
    }

    private static final class Account {
        final ChannelRef ref;
        PaymentChannel channel;
        /** NEWEST: the newest verified proof not yet handed to the store, and whether a writer is running. */
        Signed<BalanceProof> unwritten;
        boolean writing;

        Account(ChannelRef ref, PaymentChannel channel) {
            this.ref = ref;
            this.channel = channel;
        }
    }
}
