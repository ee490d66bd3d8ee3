package io.turnpike.node.tower;

import io.turnpike.core.TurnpikeException;
import io.turnpike.core.channel.BalanceProof;
import io.turnpike.core.channel.Channel;
import io.turnpike.core.channel.ChannelStatus;
import io.turnpike.core.channel.MonitorReceipt;
import io.turnpike.core.channel.MonitorRequest;
import io.turnpike.core.channel.Signed;
import io.turnpike.core.crypto.Eip712Domain;
import io.turnpike.core.crypto.PrivateKey;
import io.turnpike.node.config.NodeConfig;
import io.turnpike.store.ChannelStore;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's watchtowers holding the newest proof each partner signed for it (DESIGN §9), so that a partner
 * who closes with an older state while the node is away is answered anyway.
 *
 * <p>Every interval it uploads, per tower, the newest received proof of each channel the tower does not hold yet:
 * a proof supersedes every earlier one, so an interval's payments cost one upload per channel, and at most
 * {@code uploadsPerInterval} go to one tower per interval, those waiting longest first. An upload counts as held only
 * once the tower's receipt is its own signature over exactly that proof for this node. A tower that cannot be reached
 * is tried again with back-off, and is then sent whatever proof is newest by then.
 */
public final class TowerUploader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TowerUploader.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final List<TowerState> towers;
    private final Duration interval;
    private final int uploadsPerInterval;
    private final ChannelStore store;
    private final PrivateKey key;
    private final Eip712Domain domain;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("turnpike-towers").unstarted(r));

    public TowerUploader(NodeConfig.Watchtowers settings, ChannelStore store, PrivateKey key, Eip712Domain domain,
                         Clock clock) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.towers = settings.towers().stream().map(t -> new TowerState(new TowerClient(t, http))).toList();
        this.interval = settings.uploadInterval();
        this.uploadsPerInterval = settings.uploadsPerInterval();
        this.store = store;
        this.key = key;
        this.domain = domain;
        this.clock = clock;
    }

    /** Uploads every interval until {@link #close()}. */
    public void start() {
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                uploadDue();
            } catch (RuntimeException e) {
                LOG.warn("uploading proofs to the watchtowers: {}", e.getMessage());
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One round: each tower that is not backing off gets the newest proofs it does not hold yet. Synchronized because
     * the towers' state is this uploader's alone, and a round may be asked for while its own scheduler runs one.
     */
    synchronized void uploadDue() {
        Instant now = clock.instant();
        List<Channel> guarded = store.list().stream()
                .filter(c -> c.status() != ChannelStatus.SETTLED && c.received().isPresent())
                .toList();
        Set<Long> live = guarded.stream().map(c -> c.channelId()).collect(Collectors.toSet());
        for (TowerState tower : towers) {
            tower.held.keySet().retainAll(live);
            tower.receivedAt.keySet().retainAll(live);
            tower.attempts.keySet().retainAll(live);
            if (now.isBefore(tower.retryAt)) {
                continue;
            }
            List<Channel> due = guarded.stream().filter(c -> tower.isDue(c, now))
                    .sorted(Comparator.comparing(c -> tower.attempt(c).lastTried()))
                    .limit(uploadsPerInterval)
                    .toList();
            try {
                for (Channel channel : due) {
                    upload(tower, channel, now);
                }
                tower.backoff = Duration.ZERO;
                tower.retryAt = Instant.MIN;
            } catch (IOException e) {
                tower.lastFailure = Optional.of(new TowerHoldings.Failure(now, "unreachable: " + e.getMessage()));
                tower.backoff = longer(tower.backoff, interval);
                tower.retryAt = now.plus(tower.backoff);
                LOG.info("watchtower {} unreachable ({}); uploading again in {} ms, the newest proofs then",
                        tower.client.tower().url(), e.getMessage(), tower.backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void upload(TowerState tower, Channel channel, Instant now) throws IOException, InterruptedException {
        NodeConfig.Tower config = tower.client.tower();
        Signed<BalanceProof> proof = channel.received().orElseThrow();
        BalanceProof p = proof.message();
        Signed<MonitorRequest> request = Signed.sign(
                new MonitorRequest(p.channelId(), p.nonce(), p.transferred(), config.reward(), config.address()),
                domain, key);
        Attempt attempt = tower.attempt(channel);
        try {
            TowerMessages.Receipt ack = tower.client.upload(proof, request);
            Signed<MonitorReceipt> receipt = new Signed<>(
                    new MonitorReceipt(p.channelId(), p.nonce(), p.transferred(), key.address()), ack.signature());
            if (ack.channelId() != p.channelId() || ack.nonce() != p.nonce()
                    || !receipt.isSignedBy(config.address(), domain)) {
                Attempt next = attempt.failed(now, interval);
                tower.attempts.put(p.channelId(), next);
                tower.lastFailure = Optional.of(new TowerHoldings.Failure(now, "it acknowledged channel "
                        + p.channelId() + " nonce " + p.nonce() + " without its own signature over that proof"));
                LOG.warn("watchtower {} acknowledged channel {} nonce {} without its signature ({}) over that proof "
                                + "for this node; not counted as held, sending it again in {} ms", config.url(),
                        p.channelId(), p.nonce(), config.address(), next.backoff().toMillis());
                return;
            }
            tower.held.merge(p.channelId(), p.nonce(), Math::max);
            tower.receivedAt.put(p.channelId(), now);
            tower.lastFailure = Optional.empty();
            tower.attempts.put(p.channelId(), attempt.succeeded(now));
        } catch (TurnpikeException refused) {
            tower.attempts.put(p.channelId(), switch (refused.code()) {
                // Sending this proof again cannot change these answers; a newer proof may.
                case STALE_PROOF, CHANNEL_SETTLED, REWARD_TOO_HIGH -> {
                    LOG.info("watchtower {} declined channel {} nonce {}: [{}] {}", config.url(), p.channelId(),
                            p.nonce(), refused.code(), refused.getMessage());
                    yield attempt.declined(p.nonce(), now);
                }
                default -> {
                    Attempt next = attempt.failed(now, interval);
                    tower.lastFailure = Optional.of(new TowerHoldings.Failure(now, "it refused channel "
                            + p.channelId() + " nonce " + p.nonce() + ": " + refused.getMessage() + " ("
                            + refused.code().code() + ")"));
                    LOG.warn("watchtower {} refused channel {} nonce {}: [{}] {}; sending it again in {} ms",
                            config.url(), p.channelId(), p.nonce(), refused.code(), refused.getMessage(),
                            next.backoff().toMillis());
                    yield next;
                }
            });
        }
    }

    /** What each configured tower holds for this node, as its checked receipts prove. */
    public List<TowerHoldings> holdings() {
        return towers.stream().map(t -> new TowerHoldings(t.client.tower(), new TreeMap<>(t.held),
                new TreeMap<>(t.receivedAt), t.lastFailure)).toList();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }

    /** The next wait after another failure: the interval, then doubling, at most {@link #MAX_BACKOFF}. */
    private static Duration longer(Duration backoff, Duration interval) {
        Duration next = backoff.isZero() ? interval : backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    /**
     * The last upload of one channel to one tower.
     *
     * @param declinedNonce a nonce the tower refused for good (it holds as new a one, or the reward does not suit
     *     it): not sent again
     */
    private record Attempt(Instant lastTried, long declinedNonce, Instant retryAt, Duration backoff) {

        static final Attempt NONE = new Attempt(Instant.MIN, -1, Instant.MIN, Duration.ZERO);

        Attempt succeeded(Instant now) {
            return new Attempt(now, -1, Instant.MIN, Duration.ZERO);
        }

        Attempt declined(long nonce, Instant now) {
            return new Attempt(now, nonce, Instant.MIN, Duration.ZERO);
        }

        Attempt failed(Instant now, Duration interval) {
            Duration next = longer(backoff, interval);
            return new Attempt(now, declinedNonce, now.plus(next), next);
        }
    }

    /** One tower: its client, what it holds, and when it may be tried again. Touched by the upload round only. */
    private static final class TowerState {
        final TowerClient client;
        /** Read by {@link #holdings()} from other threads. */
        final Map<Long, Long> held = new ConcurrentHashMap<>();
        /** When each held proof's receipt came; read by {@link #holdings()} from other threads. */
        final Map<Long, Instant> receivedAt = new ConcurrentHashMap<>();
        /** Read by {@link #holdings()} from other threads. */
        volatile Optional<TowerHoldings.Failure> lastFailure = Optional.empty();
        final Map<Long, Attempt> attempts = new HashMap<>();
        Duration backoff = Duration.ZERO;
        Instant retryAt = Instant.MIN;

        TowerState(TowerClient client) {
            this.client = client;
        }

        Attempt attempt(Channel channel) {
            return attempts.getOrDefault(channel.channelId(), Attempt.NONE);
        }

        /** Whether the channel's newest received proof is one this tower does not hold and may be sent now. */
        boolean isDue(Channel channel, Instant now) {
            long nonce = channel.received().orElseThrow().message().nonce();
            Attempt attempt = attempt(channel);
            return nonce > held.getOrDefault(channel.channelId(), 0L) && nonce != attempt.declinedNonce()
                    && !now.isBefore(attempt.retryAt());
        }
    }
}
