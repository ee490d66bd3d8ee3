package io.turnpike.node.peer;

import io.turnpike.core.ErrorCode;
import io.turnpike.core.Address;
import io.turnpike.core.TurnpikeException;
import io.turnpike.node.channel.PeerChannels;
import io.turnpike.node.control.ControlException;
import io.turnpike.node.metrics.MetricsTracker;
import io.turnpike.protocol.PeerConnection;
import io.turnpike.protocol.PeerMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything this node has to do with one other node, run on that peer's own {@link SerialExecutor}: its
 * messages, its channels' off-chain steps, its account on either side, its ticks. State reached only from tasks on
 * {@link #executor()} needs no lock; what other threads read (the connection) is published safely.
 */
public final class Peer {

    private static final Logger LOG = LoggerFactory.getLogger(Peer.class);
    private static final Duration CALL_WAIT = Duration.ofSeconds(10);
    /**
     * Messages received from the peer and not yet handled. A peer that sends faster than it is served is cut off
     * here: the transport reads on, so without this bound its queue would grow with whatever it sends.
     */
    static final int MAX_UNHANDLED_MESSAGES = 1024;

    private final Address address;
    private final SerialExecutor executor;
    private final PeerChannels channels;
    private final MetricsTracker metrics;
    private volatile PeerConnection connection;
    private final AtomicInteger unhandled = new AtomicInteger();

    Peer(Address address, SerialExecutor executor, PeerChannels channels, MetricsTracker metrics) {
        this.address = address;
        this.metrics = metrics;
        this.executor = executor;
        this.channels = channels;
    }

    public Address address() {
        return address;
    }

    /** Where every task about this peer runs, one at a time. */
    public Executor executor() {
        return executor;
    }

    /** This peer's channels; only touched on {@link #executor()}. */
    public PeerChannels channels() {
        return channels;
    }

    /**
     * Queues the handling of a message {@code from} the peer; past {@link #MAX_UNHANDLED_MESSAGES} waiting, the
     * connection is closed instead (its messages already queued are still handled) and false returned.
     */
    public boolean received(PeerConnection from, Runnable handling) {
        if (unhandled.incrementAndGet() > MAX_UNHANDLED_MESSAGES) {
            unhandled.decrementAndGet();
            if (from.isOpen()) {
                LOG.info("peer {} sent more than {} messages this node had not yet handled; closing the connection",
                        address, MAX_UNHANDLED_MESSAGES);
                from.send(PeerMessage.ErrorMessage.of(ErrorCode.TOO_MANY_MESSAGES, "more than "
                        + MAX_UNHANDLED_MESSAGES + " messages waited to be handled; wait for answers before sending more"));
                from.close();
            }
            return false;
        }
        executor.execute(() -> {
            try {
                handling.run();
            } finally {
                unhandled.decrementAndGet();
            }
        });
        return true;
    }

    /** Runs {@code work} on this peer's executor and completes with its result or its failure. */
    public <T> CompletableFuture<T> call(Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /**
     * Runs {@code work} on this peer's executor and waits for it, for callers outside it (the API, the CLI); a
     * refusal it throws is rethrown as is.
     */
    public <T> T await(Supplier<T> work) {
        return await(call(work));
    }

    /** Waits for a result of this peer's executor; a refusal is rethrown as is. */
    public static <T> T await(CompletableFuture<T> result) {
        try {
            return result.get(CALL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ControlException(ErrorCode.NODE_BUSY, "the node did not answer within " + CALL_WAIT.toSeconds()
                    + " s; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException(ErrorCode.STOPPING, "interrupted while waiting for the node");
        }
    }

    /** The open connection to this peer, if there is one. */
    public Optional<PeerConnection> connection() {
        return Optional.ofNullable(connection).filter(PeerConnection::isOpen);
    }

    public boolean isConnected() {
        return connection().isPresent();
    }

    /** The newest authenticated connection replaces an older one. */
    public void connected(PeerConnection newest) {
        this.connection = newest;
    }

    /** Forgets {@code closed} if it is still the current connection; returns whether it was. */
    public boolean disconnected(PeerConnection closed) {
        if (connection != closed) {
            return false;
        }
        connection = null;
        return true;
    }

    /** Sends on the current connection; a message for a peer that is away is dropped, as the protocol allows. */
    public void send(PeerMessage message) {
        connection().ifPresent(c -> c.send(message));
    }

    /** Answers a refused message with an {@code error}, never an error with an error. */
    public void refuse(PeerConnection from, PeerMessage message, TurnpikeException refusal) {
        metrics.refused(address, refusal.code().code());
        if (!(message instanceof PeerMessage.ErrorMessage) && from.isOpen()) {
            from.send(PeerMessage.ErrorMessage.of(refusal));
        }
    }
}
